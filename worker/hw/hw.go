// Package hw finds the hardware video encoders a worker can use: it asks
// ffmpeg which hardware encoders it was built with, then proves each one
// with a one-frame test encode, because a listed encoder says nothing about
// whether a GPU, its driver or a DRM render node is present.
//
// Three families are known: NVIDIA NVENC (h264_nvenc, hevc_nvenc,
// av1_nvenc), VA-API (h264_vaapi, hevc_vaapi, vp9_vaapi, av1_vaapi) and
// Intel Quick Sync (h264_qsv, hevc_qsv, vp9_qsv, av1_qsv). VA-API and QSV
// are tried on every /dev/dri/renderD* node; with no render node they are
// skipped without starting ffmpeg. NVENC takes frames from system memory,
// VA-API and QSV need them uploaded (UploadFilter), and the test encode
// uses exactly the arguments a transcode will use (InputArgs), so an
// encoder that passes here works the same way in a ladder.
//
// Only the NVENC failure path has run on the machines this was written on
// (no GPU, no render node); the VA-API and QSV device arguments follow
// ffmpeg 5.1's documentation and are unproven on real hardware.
package hw

import (
	"github.com/castmesh/castmesh/pkg/media"
)

// Encoder families.
const (
	KindNVENC = "nvenc"
	KindVAAPI = "vaapi"
	KindQSV   = "qsv"
)

// Encoder is one hardware encoder that passed its test encode.
type Encoder struct {
	// Name is the ffmpeg encoder, e.g. "h264_nvenc".
	Name string
	// Codec is the video codec it produces.
	Codec media.VideoCodec
	// Kind is the family: nvenc, vaapi or qsv.
	Kind string
	// Device is the DRM render node for vaapi and qsv, empty for nvenc
	// (which uses the first CUDA device).
	Device string
}

// Hardware reports whether e is a hardware encoder (a zero Encoder is not).
func (e Encoder) Hardware() bool { return e.Kind != "" }

// InputArgs returns the ffmpeg options that must come before -i to open
// the encoder's device: VA-API names its render node, QSV derives its
// device from one and makes it the filter device for hwupload.
func (e Encoder) InputArgs() []string {
	switch e.Kind {
	case KindVAAPI:
		return []string{"-vaapi_device", e.Device}
	case KindQSV:
		return []string{"-init_hw_device", "qsv=qsv:hw_any,child_device=" + e.Device, "-filter_hw_device", "qsv"}
	}
	return nil
}

// UploadFilter returns the filters that end a video chain feeding the
// encoder: VA-API and QSV encode frames in GPU memory, so software frames
// are converted to NV12 and uploaded; NVENC reads system memory.
func (e Encoder) UploadFilter() string {
	switch e.Kind {
	case KindVAAPI:
		return "format=nv12,hwupload"
	case KindQSV:
		return "format=nv12,hwupload=extra_hw_frames=64"
	}
	return ""
}
