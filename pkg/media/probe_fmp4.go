package media

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"time"

	amp4 "github.com/abema/go-mp4"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/av1"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h265"
	"github.com/bluenviron/mediacommon/v2/pkg/formats/fmp4"
	mp4codecs "github.com/bluenviron/mediacommon/v2/pkg/formats/mp4/codecs"
)

// FMP4Info is what ProbeFMP4 learns from a fragmented MP4 segment. Video
// uses the same fields as for MPEG-TS, but its Codec may be any VideoCodec
// and its PTS are presentation times (decode time plus composition offset)
// converted from the track's timescale to 90 kHz.
type FMP4Info struct {
	Video VideoInfo
	// Audio is nil when the segment has no audio track.
	Audio *AudioInfo
	// FirstDecodeTime is the video track's baseMediaDecodeTime (tfdt) of the
	// first fragment, in 90 kHz ticks.
	FirstDecodeTime int64
	// TimeScale is the video track's media timescale (mdhd), ticks per second.
	TimeScale uint32
	// Duration is the sum of the video sample durations.
	Duration time.Duration
}

// Codecs returns the HLS CODECS attribute value of the segment's tracks.
func (i FMP4Info) Codecs() string {
	if i.Audio != nil && i.Audio.CodecString != "" {
		return i.Video.CodecString + "," + i.Audio.CodecString
	}
	return i.Video.CodecString
}

// ProbeFMP4 parses a fragmented MP4 segment given as its initialization
// section (ftyp+moov) and its media (moof+mdat pairs, ISO/IEC 14496-12
// §8.8): the video codec, size, sample count and times, and the audio track.
// It returns ErrNotMP4 for bytes it cannot parse, ErrNoVideo when there is
// no video sample, or an *UnsupportedCodecError for a video codec other
// than h264, hevc, vp9 and av1.
//
// The RFC 6381 codec strings come from the codec configuration: avc1 and
// hvc1 from the SPS (hvc1 even for an hev1 sample entry), vp09 from vpcC
// (level estimated when vpcC says 0, see VP9CodecString), av01 from the
// sequence header in av1C (AV1CodecString); audio is mp4a.40.N from the
// AudioSpecificConfig.
func ProbeFMP4(init, data []byte) (FMP4Info, error) {
	var in fmp4.Init
	if err := in.Unmarshal(bytes.NewReader(init)); err != nil {
		return FMP4Info{}, fmt.Errorf("%w: init section: %w", ErrNotMP4, err)
	}
	p := &fmp4Probe{videoID: -1, audioID: -1}
	if err := p.attach(&in, init); err != nil {
		return FMP4Info{}, err
	}
	trafs, err := readFragments(data, trexDefaults(init))
	if err != nil {
		return FMP4Info{}, err
	}
	for _, t := range trafs {
		p.addTrack(t)
	}
	return p.result()
}

// fmp4Probe collects what the init section and the fragments tell.
type fmp4Probe struct {
	info                 FMP4Info
	videoID, audioID     int
	videoScale           uint32
	audioScale           uint32
	vp9                  *mp4codecs.VP9
	vp9Level             uint8
	firstPTS, lastPTS    int64
	durationTicks        int64 // in videoScale
	sawVideo, sawAudioTS bool
}

func (p *fmp4Probe) attach(in *fmp4.Init, init []byte) error {
	for _, t := range in.Tracks {
		if t.Codec.IsVideo() {
			if p.videoID >= 0 {
				continue // the first video track is the one described
			}
			if err := p.attachVideo(t.Codec, init); err != nil {
				return err
			}
			p.videoID, p.videoScale = t.ID, t.TimeScale
			p.info.TimeScale = t.TimeScale
			continue
		}
		if p.audioID < 0 {
			if name, cs, ok := audioCodec(t.Codec); ok {
				p.audioID, p.audioScale = t.ID, t.TimeScale
				p.info.Audio = &AudioInfo{Codec: name, CodecString: cs}
			}
		}
	}
	if p.videoID < 0 {
		return ErrNoVideo
	}
	return nil
}

func (p *fmp4Probe) attachVideo(c mp4codecs.Codec, init []byte) error {
	v := &p.info.Video
	switch c := c.(type) {
	case *mp4codecs.H264:
		var sps h264.SPS
		if err := sps.Unmarshal(c.SPS); err != nil {
			return fmt.Errorf("%w: bad SPS: %w", ErrNoVideo, err)
		}
		v.Codec, v.Width, v.Height, v.CodecString = H264, sps.Width(), sps.Height(), H264CodecString(c.SPS)
	case *mp4codecs.H265:
		var sps h265.SPS
		if err := sps.Unmarshal(c.SPS); err != nil {
			return fmt.Errorf("%w: bad SPS: %w", ErrNoVideo, err)
		}
		v.Codec, v.Width, v.Height, v.CodecString = HEVC, sps.Width(), sps.Height(), H265CodecString(&sps)
	case *mp4codecs.AV1:
		var sh av1.SequenceHeader
		if err := sh.Unmarshal(c.SequenceHeader); err != nil {
			return fmt.Errorf("%w: bad AV1 sequence header: %w", ErrNoVideo, err)
		}
		v.Codec, v.Width, v.Height, v.CodecString = AV1, sh.Width(), sh.Height(), AV1CodecString(&sh)
	case *mp4codecs.VP9:
		v.Codec, v.Width, v.Height = VP9, c.Width, c.Height
		p.vp9, p.vp9Level = c, vpcCLevel(init)
	default:
		return &UnsupportedCodecError{Kind: "video", Codec: fmt.Sprintf("%T", c)}
	}
	return nil
}

// audioCodec names an audio codec and gives its RFC 6381 value.
func audioCodec(c mp4codecs.Codec) (name, codecString string, ok bool) {
	switch c := c.(type) {
	case *mp4codecs.MPEG4Audio:
		return "aac", AACCodecString(&c.Config), true
	case *mp4codecs.Opus:
		return "opus", "opus", true
	case *mp4codecs.MPEG1Audio:
		return "mp3", "mp4a.40.34", true
	case *mp4codecs.AC3:
		return "ac3", "ac-3", true
	case *mp4codecs.EAC3:
		return "eac3", "ec-3", true
	}
	return "", "", false
}

// vpcCLevel reads the level byte of the VP codec configuration box; 0 when
// there is none.
func vpcCLevel(init []byte) uint8 {
	path := amp4.BoxPath{
		amp4.BoxTypeMoov(), amp4.BoxTypeTrak(), amp4.BoxTypeMdia(), amp4.BoxTypeMinf(),
		amp4.BoxTypeStbl(), amp4.BoxTypeStsd(), amp4.BoxTypeVp09(), amp4.BoxTypeVpcC(),
	}
	boxes, err := amp4.ExtractBoxWithPayload(bytes.NewReader(init), nil, path)
	if err != nil || len(boxes) == 0 {
		return 0
	}
	if vpcc, ok := boxes[0].Payload.(*amp4.VpcC); ok {
		return vpcc.Level
	}
	return 0
}

func (p *fmp4Probe) addTrack(t *traf) {
	switch int(t.trackID) {
	case p.videoID:
		p.addVideo(t)
	case p.audioID:
		a := p.info.Audio
		if !p.sawAudioTS && len(t.samples) > 0 {
			a.FirstPTS, p.sawAudioTS = toTicks(t.baseTime, p.audioScale), true
		}
		a.Frames += int64(len(t.samples))
	}
}

func (p *fmp4Probe) addVideo(t *traf) {
	v := &p.info.Video
	dts := t.baseTime
	if !p.sawVideo && len(t.samples) > 0 {
		p.info.FirstDecodeTime = toTicks(dts, p.videoScale)
		v.StartsWithIDR = t.samples[0].sync
		p.firstPTS, p.lastPTS = dts+t.samples[0].cts, dts+t.samples[0].cts
		p.sawVideo = true
	}
	for _, s := range t.samples {
		pts := dts + s.cts
		p.firstPTS, p.lastPTS = min(p.firstPTS, pts), max(p.lastPTS, pts)
		dts += int64(s.duration)
		p.durationTicks += int64(s.duration)
	}
	v.Frames += int64(len(t.samples))
}

func (p *fmp4Probe) result() (FMP4Info, error) {
	v := &p.info.Video
	if v.Frames == 0 {
		return FMP4Info{}, fmt.Errorf("%w: no video samples in the fragments", ErrNoVideo)
	}
	v.FirstPTS, v.LastPTS = toTicks(p.firstPTS, p.videoScale), toTicks(p.lastPTS, p.videoScale)
	p.info.Duration = Duration(toTicks(p.durationTicks, p.videoScale))
	if p.vp9 != nil {
		fps := 0.0
		if p.info.Duration > 0 {
			fps = float64(v.Frames) / p.info.Duration.Seconds()
		}
		v.CodecString = VP9CodecString(p.vp9.Profile, p.vp9Level, p.vp9.BitDepth, v.Width, v.Height, fps)
	}
	return p.info, nil
}

// toTicks converts a time in a track's timescale to 90 kHz ticks without
// overflowing the intermediate product for large times.
func toTicks(t int64, scale uint32) int64 {
	s := int64(scale)
	if s == 0 {
		return 0
	}
	return t/s*TimeBase + t%s*TimeBase/s
}

// SplitFMP4 splits a fragmented MP4 file into its initialization section
// (every top-level box up to and including moov: ftyp, moov) and its media
// (the boxes after moov: moof+mdat pairs, and styp/sidx/emsg/prft where
// present). A trailing mfra box (ISO/IEC 14496-12 §8.8.9) is dropped: it
// indexes byte offsets in the whole file and means nothing in a segment.
// It returns ErrNotMP4 unless the file starts with ftyp, has a moov, and
// has at least one moof after it.
func SplitFMP4(b []byte) (init, data []byte, err error) {
	boxes, err := topLevelBoxes(b)
	if err != nil {
		return nil, nil, err
	}
	if len(boxes) == 0 || boxes[0].typ != "ftyp" {
		return nil, nil, fmt.Errorf("%w: does not start with ftyp", ErrNotMP4)
	}
	moov := -1
	for i, bx := range boxes {
		if bx.typ == "moov" {
			moov = i
			break
		}
	}
	if moov < 0 {
		return nil, nil, fmt.Errorf("%w: no moov box", ErrNotMP4)
	}
	initEnd, dataEnd, moofs := boxes[moov].end, len(b), 0
	for _, bx := range boxes[moov+1:] {
		switch bx.typ {
		case "moof":
			moofs++
		case "mfra":
			dataEnd = min(dataEnd, bx.start)
		}
	}
	if moofs == 0 {
		return nil, nil, fmt.Errorf("%w: no moof box after moov", ErrNotMP4)
	}
	if dataEnd < initEnd {
		dataEnd = initEnd
	}
	return b[:initEnd], b[initEnd:dataEnd], nil
}

// box is the position of one top-level box.
type box struct {
	typ        string
	start, end int
}

// topLevelBoxes walks the box headers of ISO/IEC 14496-12 §4.2: a 32-bit
// size (1 = a 64-bit size follows the type, 0 = to the end of the file)
// and a four-character type.
func topLevelBoxes(b []byte) ([]box, error) {
	var boxes []box
	for off := 0; off < len(b); {
		if len(b)-off < 8 {
			return nil, fmt.Errorf("%w: %d stray bytes at offset %d", ErrNotMP4, len(b)-off, off)
		}
		size, header := uint64(binary.BigEndian.Uint32(b[off:])), uint64(8)
		switch size {
		case 0:
			size = uint64(len(b) - off)
		case 1:
			if len(b)-off < 16 {
				return nil, fmt.Errorf("%w: short 64-bit box header at offset %d", ErrNotMP4, off)
			}
			size, header = binary.BigEndian.Uint64(b[off+8:]), 16
		}
		if size < header || size > uint64(len(b)-off) {
			return nil, fmt.Errorf("%w: box size %d at offset %d out of range", ErrNotMP4, size, off)
		}
		boxes = append(boxes, box{typ: string(b[off+4 : off+8]), start: off, end: off + int(size)})
		off += int(size)
	}
	return boxes, nil
}
