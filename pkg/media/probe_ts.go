package media

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h265"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/mpeg1audio"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/mpeg4audio"
	"github.com/bluenviron/mediacommon/v2/pkg/formats/mpegts"
)

// tsPacketSize is the fixed MPEG-TS packet length (ISO/IEC 13818-1 §2.4.3.2).
const tsPacketSize = 188

// VideoInfo describes the video track of a segment.
type VideoInfo struct {
	// Codec is h264 or hevc (the input codecs castmesh transcodes).
	Codec VideoCodec
	// CodecString is the RFC 6381 codecs value.
	CodecString string
	Width       int
	Height      int
	// Frames counts access units.
	Frames int64
	// FirstPTS and LastPTS are the lowest and highest PTS, 90 kHz.
	FirstPTS int64
	LastPTS  int64
	// StartsWithIDR is true when the first access unit is a random access point.
	StartsWithIDR bool
}

// AudioInfo describes the audio track of a segment.
type AudioInfo struct {
	// Codec names the codec: aac, mp3, ac3, eac3 or opus.
	Codec string
	// CodecString is the RFC 6381 codecs value where there is one (AAC).
	CodecString string
	// Frames counts audio PES payloads.
	Frames   int64
	FirstPTS int64
}

// TSInfo is what ProbeTS learns from a segment.
type TSInfo struct {
	Video VideoInfo
	// Audio is nil when the segment has no audio track.
	Audio *AudioInfo
	// Duration spans the video frames, the last frame's own length included.
	Duration time.Duration
}

// Codecs returns the HLS CODECS attribute value of the segment's tracks.
func (i TSInfo) Codecs() string {
	if i.Audio != nil && i.Audio.CodecString != "" {
		return i.Video.CodecString + "," + i.Audio.CodecString
	}
	return i.Video.CodecString
}

// CheckTSFraming checks the 188-byte packet framing and sync bytes without
// parsing payloads: the cheap first test for an untrusted body.
func CheckTSFraming(data []byte) error {
	if len(data) == 0 || data[0] != 0x47 {
		return ErrNotTS
	}
	for off := 0; off < len(data); off += tsPacketSize {
		if off+tsPacketSize > len(data) {
			return fmt.Errorf("%w: %d bytes after the last whole packet", ErrTruncated, len(data)-off)
		}
		if data[off] != 0x47 {
			return fmt.Errorf("%w: no sync byte at offset %d", ErrNotTS, off)
		}
	}
	return nil
}

// ProbeTS parses an MPEG-TS segment: its video codec, size and frame count,
// its audio, and its duration. It returns ErrNotTS, ErrTruncated, ErrNoVideo
// or an *UnsupportedCodecError for input castmesh cannot transcode.
func ProbeTS(data []byte) (TSInfo, error) {
	if err := CheckTSFraming(data); err != nil {
		return TSInfo{}, err
	}
	p := &tsProbe{on: map[uint16]func(pts, dts int64, payload []byte){}}
	d := tsDemuxer{onPMT: p.attach, onPES: p.onPES}
	if err := d.run(data); errors.Is(err, errNoPMT) {
		return TSInfo{}, fmt.Errorf("%w: %w", ErrNotTS, err)
	} else if err != nil {
		return TSInfo{}, err
	}
	return p.result()
}

// tsProbe collects what the demuxer finds.
type tsProbe struct {
	info      TSInfo
	videoPTS  []int64
	videoSeen bool
	audioSeen bool
	spsErr    error
	timeVideo unwrapper
	timeAudio unwrapper
	// on handles the PES packets of the streams probed, by PID.
	on map[uint16]func(pts, dts int64, payload []byte)
}

// unwrapper undoes the 33-bit wrap of MPEG-TS timestamps while keeping them
// absolute (mpegts.TimeDecoder alone rebases them to zero).
type unwrapper struct {
	dec   mpegts.TimeDecoder
	first int64
	began bool
}

func (u *unwrapper) Decode(ts int64) int64 {
	if !u.began {
		u.first, u.began = ts, true
	}
	return u.first + u.dec.Decode(ts)
}

// Stream types (ISO/IEC 13818-1 Table 2-34 and its registered extensions).
const (
	streamMPEG1Video = 0x01
	streamMPEG2Video = 0x02
	streamMPEG1Audio = 0x03
	streamMPEG2Audio = 0x04
	streamPrivate    = 0x06
	streamAAC        = 0x0f
	streamMPEG4Video = 0x10
	streamH264       = 0x1b
	streamH265       = 0x24
	streamAC3        = 0x81
	streamEAC3       = 0x87
	// opusRegistration is the registration descriptor of Opus in MPEG-TS.
	opusRegistration = 'O'<<24 | 'p'<<16 | 'u'<<8 | 's'
)

// attach picks the streams to probe: the first video stream, which is the
// one transcoded, and the first audio stream.
func (p *tsProbe) attach(streams []tsStream) error {
	for _, s := range streams {
		if err := p.attachStream(s); err != nil {
			return err
		}
	}
	if !p.videoSeen {
		return ErrNoVideo
	}
	return nil
}

func (p *tsProbe) attachStream(s tsStream) error {
	switch s.StreamType {
	case streamH264, streamH265:
		if p.videoSeen {
			return nil
		}
		p.videoSeen = true
		if s.StreamType == streamH264 {
			p.info.Video.Codec = H264
			p.on[s.PID] = p.h264PES
		} else {
			p.info.Video.Codec = HEVC
			p.on[s.PID] = p.h265PES
		}
	case streamMPEG1Video, streamMPEG2Video:
		return &UnsupportedCodecError{Kind: "video", Codec: "mpeg2video"}
	case streamMPEG4Video:
		return &UnsupportedCodecError{Kind: "video", Codec: "mpeg4"}
	}
	if p.audioSeen {
		return nil
	}
	switch {
	case s.StreamType == streamAAC:
		p.on[s.PID] = p.aacPES // its codec string comes with the first frame
	case s.StreamType == streamMPEG1Audio || s.StreamType == streamMPEG2Audio:
		p.audio("mp3", "mp4a.40.34")
		p.on[s.PID] = p.mp3PES
	case s.StreamType == streamAC3:
		p.audio("ac3", "ac-3")
	case s.StreamType == streamEAC3:
		p.audio("eac3", "ec-3")
	case s.StreamType == streamPrivate && s.Registration == opusRegistration:
		p.audio("opus", "opus")
	default:
		return nil
	}
	p.audioSeen = true
	return nil
}

func (p *tsProbe) onPES(pid uint16, pts, dts int64, payload []byte) {
	if on := p.on[pid]; on != nil {
		on(pts, dts, payload)
	}
}

// accessUnit splits an H.264 or H.265 PES payload into NAL units and drops
// a leading access unit delimiter; ok is false when nothing is left.
func accessUnit(payload []byte, aud func(nalu []byte) bool) (h264.AnnexB, bool) {
	var au h264.AnnexB
	if err := au.Unmarshal(payload); err != nil || len(au) == 0 {
		return nil, false
	}
	if len(au[0]) > 0 && aud(au[0]) {
		au = au[1:]
	}
	return au, len(au) > 0
}

func (p *tsProbe) h264PES(pts, _ int64, payload []byte) {
	if au, ok := accessUnit(payload, func(n []byte) bool { return h264.NALUType(n[0]&0x1f) == h264.NALUTypeAccessUnitDelimiter }); ok {
		p.onH264(p.timeVideo.Decode(pts), au)
	}
}

func (p *tsProbe) h265PES(pts, _ int64, payload []byte) {
	if au, ok := accessUnit(payload, func(n []byte) bool { return h265.NALUType((n[0]>>1)&0x3f) == h265.NALUType_AUD_NUT }); ok {
		p.onH265(p.timeVideo.Decode(pts), au)
	}
}

func (p *tsProbe) aacPES(pts, dts int64, payload []byte) {
	var pkts mpeg4audio.ADTSPackets
	if pts != dts || pkts.Unmarshal(payload) != nil || len(pkts) == 0 {
		return
	}
	p.audio("aac", AACCodecString(&mpeg4audio.AudioSpecificConfig{Type: pkts[0].Type}))
	p.onAudio(pts, int64(len(pkts)))
}

// mp3PES counts the MPEG audio frames of a PES packet; a packet that does
// not split into whole frames counts none.
func (p *tsProbe) mp3PES(pts, dts int64, payload []byte) {
	if pts != dts {
		return
	}
	var frames int64
	for len(payload) > 0 {
		var h mpeg1audio.FrameHeader
		if err := h.Unmarshal(payload); err != nil || h.FrameLen() <= 0 || h.FrameLen() > len(payload) {
			return
		}
		payload = payload[h.FrameLen():]
		frames++
	}
	if frames > 0 {
		p.onAudio(pts, frames)
	}
}

func (p *tsProbe) audio(codec, codecString string) {
	if p.info.Audio == nil {
		p.info.Audio = &AudioInfo{Codec: codec, CodecString: codecString, FirstPTS: -1}
	}
}

func (p *tsProbe) onAudio(pts, frames int64) {
	a := p.info.Audio
	if a.FirstPTS < 0 {
		a.FirstPTS = p.timeAudio.Decode(pts)
	}
	a.Frames += frames
}

func (p *tsProbe) onH264(pts int64, au [][]byte) {
	v := &p.info.Video
	if len(p.videoPTS) == 0 {
		v.StartsWithIDR = h264.IsRandomAccess(au)
	}
	p.videoPTS = append(p.videoPTS, pts)
	if v.Width != 0 {
		return
	}
	for _, nalu := range au {
		if len(nalu) == 0 || h264.NALUType(nalu[0]&0x1f) != h264.NALUTypeSPS {
			continue
		}
		var sps h264.SPS
		if err := sps.Unmarshal(nalu); err != nil {
			p.spsErr = err
			continue
		}
		v.Width, v.Height, v.CodecString = sps.Width(), sps.Height(), H264CodecString(nalu)
	}
}

func (p *tsProbe) onH265(pts int64, au [][]byte) {
	v := &p.info.Video
	if len(p.videoPTS) == 0 {
		v.StartsWithIDR = h265.IsRandomAccess(au)
	}
	p.videoPTS = append(p.videoPTS, pts)
	if v.Width != 0 {
		return
	}
	for _, nalu := range au {
		if len(nalu) < 2 || h265.NALUType((nalu[0]>>1)&0x3f) != h265.NALUType_SPS_NUT {
			continue
		}
		var sps h265.SPS
		if err := sps.Unmarshal(nalu); err != nil {
			p.spsErr = err
			continue
		}
		v.Width, v.Height, v.CodecString = sps.Width(), sps.Height(), H265CodecString(&sps)
	}
}

func (p *tsProbe) result() (TSInfo, error) {
	v := &p.info.Video
	if len(p.videoPTS) == 0 {
		return TSInfo{}, ErrNoVideo
	}
	if v.Width == 0 {
		if p.spsErr != nil {
			return TSInfo{}, fmt.Errorf("%w: bad SPS: %w", ErrNoVideo, p.spsErr)
		}
		return TSInfo{}, fmt.Errorf("%w: no SPS before the frames", ErrNoVideo)
	}
	pts := slices.Clone(p.videoPTS)
	slices.Sort(pts)
	v.Frames = int64(len(pts))
	v.FirstPTS, v.LastPTS = pts[0], pts[len(pts)-1]
	span := v.LastPTS - v.FirstPTS
	if len(pts) > 1 {
		span += span / int64(len(pts)-1) // the last frame lasts one mean interval
	}
	p.info.Duration = Duration(span)
	return p.info, nil
}
