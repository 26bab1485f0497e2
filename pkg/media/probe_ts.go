package media

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h265"
	"github.com/bluenviron/mediacommon/v2/pkg/formats/mpegts"
	tscodecs "github.com/bluenviron/mediacommon/v2/pkg/formats/mpegts/codecs"
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
	r := &mpegts.Reader{R: bytes.NewReader(data)}
	if err := r.Initialize(); err != nil {
		return TSInfo{}, fmt.Errorf("%w: %w", ErrNotTS, err)
	}
	p := &tsProbe{}
	if err := p.attach(r); err != nil {
		return TSInfo{}, err
	}
	for {
		err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return TSInfo{}, fmt.Errorf("%w: %w", ErrNotTS, err)
		}
	}
	return p.result()
}

// tsProbe collects what the reader's callbacks see.
type tsProbe struct {
	info      TSInfo
	videoPTS  []int64
	videoSeen bool
	spsErr    error
	timeVideo unwrapper
	timeAudio unwrapper
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

func (p *tsProbe) attach(r *mpegts.Reader) error {
	for _, t := range r.Tracks() {
		if err := p.attachTrack(r, t); err != nil {
			return err
		}
	}
	if !p.videoSeen {
		return ErrNoVideo
	}
	return nil
}

func (p *tsProbe) attachTrack(r *mpegts.Reader, t *mpegts.Track) error {
	switch c := t.Codec.(type) {
	case *tscodecs.H264:
		if p.videoSeen {
			return nil // the first video track is the one transcoded
		}
		p.videoSeen = true
		p.info.Video.Codec = H264
		r.OnDataH264(t, func(pts, _ int64, au [][]byte) error {
			p.onH264(p.timeVideo.Decode(pts), au)
			return nil
		})
	case *tscodecs.H265:
		if p.videoSeen {
			return nil
		}
		p.videoSeen = true
		p.info.Video.Codec = HEVC
		r.OnDataH265(t, func(pts, _ int64, au [][]byte) error {
			p.onH265(p.timeVideo.Decode(pts), au)
			return nil
		})
	case *tscodecs.MPEG1Video:
		return &UnsupportedCodecError{Kind: "video", Codec: "mpeg2video"}
	case *tscodecs.MPEG4Video:
		return &UnsupportedCodecError{Kind: "video", Codec: "mpeg4"}
	case *tscodecs.MPEG4Audio:
		p.audio("aac", AACCodecString(&c.Config))
		r.OnDataMPEG4Audio(t, func(pts int64, aus [][]byte) error {
			p.onAudio(pts, int64(len(aus)))
			return nil
		})
	case *tscodecs.MPEG1Audio:
		p.audio("mp3", "mp4a.40.34")
		r.OnDataMPEG1Audio(t, func(pts int64, frames [][]byte) error {
			p.onAudio(pts, int64(len(frames)))
			return nil
		})
	case *tscodecs.AC3:
		p.audio("ac3", "ac-3")
	case *tscodecs.EAC3:
		p.audio("eac3", "ec-3")
	case *tscodecs.Opus:
		p.audio("opus", "opus")
	}
	return nil
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
