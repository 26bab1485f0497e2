package transcode

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/castmesh/castmesh/pkg/media"
	"github.com/castmesh/castmesh/pkg/proc"
	"github.com/castmesh/castmesh/worker/hw"
)

// source is what the argument builder needs to know about the input.
type source struct {
	width, height int
	// fps is the measured frame rate; 0 when unknown.
	fps float64
	// audio is the audio codec ("aac", "mp3", …); empty without audio.
	audio string
}

// sourceOf describes a probed segment.
func sourceOf(info media.TSInfo) source {
	s := source{width: info.Video.Width, height: info.Video.Height, fps: sourceFPS(info.Video)}
	if info.Audio != nil {
		s.audio = info.Audio.Codec
	}
	return s
}

// output is one rendition's encode.
type output struct {
	profile       media.Profile
	width, height int
	fps           float64
	convertFPS    bool
	encoder       hw.Encoder
	path          string
}

// job is one ffmpeg run: the whole ladder of one segment.
type job struct {
	input   string
	src     source
	outputs []output
	preset  string
	gop     time.Duration
}

// newJob plans the ladder: each profile's size, frame rate and encoder
// (hardware from the given map where there is one, else software), with
// outputs written to dir.
func newJob(cfg Config, src source, profiles []media.Profile, hardware map[media.VideoCodec]hw.Encoder, input, dir string) job {
	j := job{input: input, src: src, preset: cfg.Preset, gop: cfg.GOP}
	var device hw.Encoder // the one VA-API/QSV device this job may use
	for i, p := range profiles {
		o := output{profile: p, encoder: softwareEncoder(p.VideoCodec())}
		o.width, o.height = media.OutputSize(src.width, src.height, p)
		o.fps, o.convertFPS = outputFPS(p.FPS, src.fps)
		// Hardware encoders here get 8-bit frames; 10-bit goes to software.
		if e, ok := hardware[p.VideoCodec()]; ok && p.BitDepth != 10 && sharesDevice(&device, e) {
			o.encoder = e
		}
		ext := ".ts"
		if p.VideoCodec().Container() == media.FMP4 {
			ext = ".mp4"
		}
		o.path = filepath.Join(dir, fmt.Sprintf("out%d%s", i, ext))
		j.outputs = append(j.outputs, o)
	}
	return j
}

// sharesDevice reports whether e can join a job whose upload device is
// *device, claiming the device when e is the job's first to need one.
// ffmpeg takes one filter device per run.
func sharesDevice(device *hw.Encoder, e hw.Encoder) bool {
	if len(e.InputArgs()) == 0 {
		return true
	}
	if device.Kind == "" {
		*device = e
		return true
	}
	return device.Kind == e.Kind && device.Device == e.Device
}

// hardware reports whether any output uses a hardware encoder.
func (j job) hardware() bool {
	for _, o := range j.outputs {
		if o.encoder.Hardware() {
			return true
		}
	}
	return false
}

// args returns ffmpeg's command line for the job.
func (j job) args() []string {
	args := []string{"-hide_banner", "-nostdin", "-loglevel", "error", "-y"}
	for _, o := range j.outputs {
		if in := o.encoder.InputArgs(); len(in) > 0 {
			args = append(args, in...)
			break // sharesDevice allowed one device
		}
	}
	// The input passed media.ProbeTS: read it as MPEG-TS and nothing else,
	// through local protocols only (it is a peer's bytes).
	args = append(append(args, "-copyts"), proc.InputAs("mpegts", j.input)...)
	args = append(args, "-filter_complex", j.filterGraph())
	for i, o := range j.outputs {
		args = append(args, "-map", fmt.Sprintf("[v%d]", i))
		if j.src.audio != "" {
			args = append(args, "-map", "0:a:0")
		}
		container := o.profile.VideoCodec().Container()
		preset := j.preset
		if o.profile.Preset != "" {
			preset = o.profile.Preset
		}
		args = append(args, videoArgs(o.encoder, encoding{
			preset: preset, gop: gopFrames(o.fps, j.gop), bitrate: o.profile.Bitrate,
			quality: o.profile.Quality, tenBit: o.profile.BitDepth == 10,
		})...)
		// Keep every source timestamp: see "Timestamps" in the package doc.
		args = append(args, "-enc_time_base:v", "1:90000", "-fps_mode:v", "passthrough")
		args = append(args, audioArgs(j.src.audio, container)...)
		args = append(args, containerArgs(container)...)
		args = append(args, o.path)
	}
	return args
}

// filterGraph splits the first video stream once per output and scales
// each branch: [0:v:0]split=N[s0]…;[s0]scale=W:H,…[v0];…
func (j job) filterGraph() string {
	var b strings.Builder
	n := len(j.outputs)
	if n == 1 {
		b.WriteString("[0:v:0]")
	} else {
		fmt.Fprintf(&b, "[0:v:0]split=%d", n)
		for i := range n {
			fmt.Fprintf(&b, "[s%d]", i)
		}
		b.WriteString(";")
	}
	for i, o := range j.outputs {
		if n > 1 {
			fmt.Fprintf(&b, "[s%d]", i)
		}
		fmt.Fprintf(&b, "scale=%d:%d", o.width, o.height)
		if o.convertFPS {
			b.WriteString(",fps=" + strconv.FormatFloat(o.fps, 'f', -1, 64))
		}
		if up := o.encoder.UploadFilter(); up != "" {
			b.WriteString("," + up)
		} else {
			b.WriteString(",format=yuv420p")
		}
		fmt.Fprintf(&b, "[v%d]", i)
		if i < n-1 {
			b.WriteString(";")
		}
	}
	return b.String()
}
