package rtmp

import (
	"bytes"
	"errors"
	"fmt"
	"time"

	flvtag "github.com/yutopp/go-flv/tag"

	"github.com/castmesh/castmesh/gateway/segmenter"
	"github.com/castmesh/castmesh/pkg/media"
)

// Enhanced RTMP (veovera enhanced-rtmp v1/v2) marks an extended video tag
// header with the top bit of the first byte, and extended audio with
// SoundFormat 9; a FourCC follows in both cases.
const (
	videoExHeader = 0x80
	audioExHeader = 9
	frameTypeInfo = 5 // video info/command frame, FLV spec §E.4.3.1
)

// demuxer feeds FLV video and audio tag bodies (FLV spec §E.4.2.1,
// §E.4.3.1) of one publish to a Segmenter.
type demuxer struct {
	seg          *segmenter.Segmenter
	video, audio clock
}

// clock turns RTMP's 32-bit millisecond timestamps (RTMP spec §5.3.1.3),
// which wrap after 49.7 days, into a running duration.
type clock struct {
	last    uint32
	base    int64
	started bool
}

func (c *clock) at(ts uint32) time.Duration {
	if c.started && ts < c.last && c.last-ts > 1<<31 {
		c.base += 1 << 32
	}
	c.last, c.started = ts, true
	return time.Duration(c.base+int64(ts)) * time.Millisecond
}

// writeVideo handles one video message body.
func (d *demuxer) writeVideo(ts uint32, body []byte) error {
	if len(body) == 0 {
		return nil
	}
	if body[0]&videoExHeader != 0 {
		return &media.UnsupportedCodecError{Kind: "video", Codec: fourCC(body)}
	}
	r := bytes.NewReader(body)
	var v flvtag.VideoData
	if err := flvtag.DecodeVideoData(r, &v); err != nil {
		return fmt.Errorf("%w: video: %w", ErrBadTag, err)
	}
	if v.CodecID != flvtag.CodecIDAVC {
		return &media.UnsupportedCodecError{Kind: "video", Codec: videoCodecName(v.CodecID)}
	}
	if v.FrameType == frameTypeInfo {
		return nil
	}
	rest := body[len(body)-r.Len():]
	dts := d.video.at(ts)
	switch v.AVCPacketType {
	case flvtag.AVCPacketTypeSequenceHeader:
		return d.seg.SetVideoConfig(rest)
	case flvtag.AVCPacketTypeNALU:
		return d.seg.WriteVideo(dts, dts+time.Duration(v.CompositionTime)*time.Millisecond, rest)
	}
	return nil // end of sequence
}

// writeAudio handles one audio message body.
func (d *demuxer) writeAudio(ts uint32, body []byte) error {
	if len(body) == 0 {
		return nil
	}
	r := bytes.NewReader(body)
	var a flvtag.AudioData
	if err := flvtag.DecodeAudioData(r, &a); err != nil {
		return fmt.Errorf("%w: audio: %w", ErrBadTag, err)
	}
	switch {
	case a.SoundFormat == audioExHeader:
		return &media.UnsupportedCodecError{Kind: "audio", Codec: fourCC(body)}
	case a.SoundFormat != flvtag.SoundFormatAAC:
		return &media.UnsupportedCodecError{Kind: "audio", Codec: audioCodecName(a.SoundFormat)}
	}
	rest := body[len(body)-r.Len():]
	pts := d.audio.at(ts)
	if a.AACPacketType == flvtag.AACPacketTypeSequenceHeader {
		return d.seg.SetAudioConfig(rest)
	}
	return d.seg.WriteAudio(pts, rest)
}

// fourCC returns the codec FourCC of an Enhanced RTMP tag, printable.
func fourCC(body []byte) string {
	if len(body) < 5 {
		return "enhanced-rtmp"
	}
	b := []byte(string(body[1:5]))
	for i, c := range b {
		if c < 0x20 || c > 0x7e {
			b[i] = '?'
		}
	}
	return string(b)
}

// videoCodecName names an FLV CodecID the way ffmpeg does.
func videoCodecName(id flvtag.CodecID) string {
	switch id {
	case flvtag.CodecIDJPEG:
		return "jpeg"
	case flvtag.CodecIDSorensonH263:
		return "flv1"
	case flvtag.CodecIDScreenVideo:
		return "flashsv"
	case flvtag.CodecIDOn2VP6:
		return "vp6f"
	case flvtag.CodecIDOn2VP6WithAlphaChannel:
		return "vp6a"
	case flvtag.CodecIDScreenVideoVersion2:
		return "flashsv2"
	case 12:
		return "hevc" // a non-standard extension some Chinese CDNs use
	}
	return fmt.Sprintf("flv-codec-%d", id)
}

// audioCodecName names an FLV SoundFormat the way ffmpeg does.
func audioCodecName(f flvtag.SoundFormat) string {
	switch f {
	case flvtag.SoundFormatLinearPCMPlatformEndian, flvtag.SoundFormatLinearPCMLittleEndian:
		return "pcm"
	case flvtag.SoundFormatADPCM:
		return "adpcm_swf"
	case flvtag.SoundFormatMP3, flvtag.SoundFormatMP3_8kHz:
		return "mp3"
	case flvtag.SoundFormatNellymoser16kHzMono, flvtag.SoundFormatNellymoser8kHzMono, flvtag.SoundFormatNellymoser:
		return "nellymoser"
	case flvtag.SoundFormatG711ALawLogarithmicPCM:
		return "pcm_alaw"
	case flvtag.SoundFormatG711muLawLogarithmicPCM:
		return "pcm_mulaw"
	case flvtag.SoundFormatSpeex:
		return "speex"
	}
	return fmt.Sprintf("flv-sound-%d", f)
}

// rejection classifies an error that ends a publish for the metric.
func rejection(err error) *RejectError {
	var uc *media.UnsupportedCodecError
	switch {
	case errors.As(err, &uc):
		return &RejectError{Reason: ReasonUnsupportedCodec, Err: err}
	case errors.Is(err, segmenter.ErrGOPTooLong):
		return &RejectError{Reason: ReasonGOPTooLong, Err: err}
	}
	return &RejectError{Reason: ReasonBadMedia, Err: err}
}
