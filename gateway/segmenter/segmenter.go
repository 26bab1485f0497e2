package segmenter

import (
	"bytes"
	"fmt"
	"time"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/mpeg4audio"

	"github.com/castmesh/castmesh/pkg/media"
)

// maxEarlyAudio bounds the audio held while waiting for the first IDR
// (about 11 s of 48 kHz AAC); older frames could not be used anyway.
const maxEarlyAudio = 512

// Segmenter turns one stream's H.264 access units and AAC frames into
// MPEG-TS segments. It is not safe for concurrent use: the goroutine that
// reads the publisher drives it, and onSegment runs on that goroutine,
// inside the Write or Close call that completed the segment.
type Segmenter struct {
	cfg       Config
	onSegment func(media.Segment)

	lengthSize int
	params     paramSets // applied from the next IDR
	paramsGen  int       // counts changes of params; 0 = no video config yet
	audioConf  *mpeg4audio.AudioSpecificConfig

	cur, spare *segment
	seq        int64
	lastDTS    int64
	haveDTS    bool
	interval   int64 // mean frame interval of the last segment, ticks
	sizeHint   int
	nalus      [][]byte // scratch for splitting input access units
	muxNALUs   [][]byte // scratch for muxing, apart: a cut muxes mid-write
	closed     bool
}

// New returns a Segmenter that hands each finished segment to onSegment.
func New(cfg Config, onSegment func(media.Segment)) (*Segmenter, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("segmenter config: %w", err)
	}
	if onSegment == nil {
		return nil, fmt.Errorf("segmenter: nil onSegment")
	}
	return &Segmenter{cfg: cfg, onSegment: onSegment, cur: &segment{}, spare: &segment{}, sizeHint: 64 << 10}, nil
}

// SetVideoConfig applies an AVCDecoderConfigurationRecord (ISO/IEC
// 14496-15 §5.3.3.1), the payload of an FLV AVC sequence header. Its NAL
// length size applies at once; new parameter sets apply from the next IDR,
// which then starts a new segment.
func (s *Segmenter) SetVideoConfig(avcDecoderConfigurationRecord []byte) error {
	if s.closed {
		return ErrClosed
	}
	conf, err := parseDecoderConfig(avcDecoderConfigurationRecord)
	if err != nil {
		return err
	}
	s.lengthSize = conf.lengthSize
	if s.paramsGen == 0 || !conf.params.equal(s.params) {
		s.params = conf.params
		s.paramsGen++
	}
	return nil
}

// SetAudioConfig applies an AudioSpecificConfig (ISO/IEC 14496-3
// §1.6.2.1), the payload of an FLV AAC sequence header. A different config
// applies from the next segment.
func (s *Segmenter) SetAudioConfig(audioSpecificConfig []byte) error {
	if s.closed {
		return ErrClosed
	}
	conf, err := parseAudioConfig(audioSpecificConfig)
	if err != nil {
		return err
	}
	if !sameAudioConfig(conf, s.audioConf) {
		s.audioConf = conf
	}
	return nil
}

// WriteVideo adds one H.264 access unit in AVCC form (NAL units prefixed by
// their length, in the size the decoder config names). dts and pts are
// stream time. The Segmenter copies what it keeps.
func (s *Segmenter) WriteVideo(dts, pts time.Duration, avcc []byte) error {
	switch {
	case s.closed:
		return ErrClosed
	case s.paramsGen == 0:
		return ErrNoVideoConfig
	}
	d, p := toTicks(dts), toTicks(pts)
	if err := s.checkVideoTime(d, p); err != nil {
		return err
	}
	au, err := splitAVCC(s.nalus[:0], avcc, s.lengthSize)
	s.nalus = au[:0]
	if err != nil || len(au) == 0 {
		return err
	}
	if ps, ok := inBandParams(au); ok {
		s.updateParams(ps)
	}
	s.lastDTS, s.haveDTS = d, true
	if hasIDR(au) {
		return s.writeIDR(d, p, au)
	}
	g := s.cur
	if !g.open {
		return nil // nothing decodes before the first IDR
	}
	if d-g.startDTS > durTicks(s.cfg.Max) {
		g.reset()
		return fmt.Errorf("%w: no IDR for %v", ErrGOPTooLong, media.Duration(d-g.startDTS))
	}
	g.addVideo(d, p, au, false)
	return s.checkSize()
}

// WriteAudio adds one raw AAC frame (no ADTS header) with its stream-time
// PTS. The Segmenter copies it.
func (s *Segmenter) WriteAudio(pts time.Duration, rawAAC []byte) error {
	switch {
	case s.closed:
		return ErrClosed
	case s.audioConf == nil:
		return ErrNoAudioConfig
	case len(rawAAC) == 0 || len(rawAAC) > maxAACFrame:
		return fmt.Errorf("%w: %d bytes", ErrBadAudioFrame, len(rawAAC))
	}
	p := toTicks(pts)
	if p < 0 {
		return fmt.Errorf("%w: audio PTS %v", ErrBadTimestamp, pts)
	}
	g := s.cur
	if !g.open && len(g.audio) >= maxEarlyAudio {
		g.reset()
	}
	g.addAudio(p, rawAAC, s.audioConf)
	return s.checkSize()
}

// Close emits the last segment, which may be shorter than the target; its
// duration counts one mean frame interval past its last frame. Close is
// safe to call more than once.
func (s *Segmenter) Close() error {
	if s.closed {
		return nil
	}
	s.closed = true
	g := s.cur
	if !g.open {
		return nil
	}
	interval := g.meanInterval()
	if interval == 0 {
		interval = s.interval
	}
	return s.emit(g.lastDTS()+interval, noEnd)
}

// checkVideoTime rejects a DTS that goes backwards, a PTS before its DTS
// (ISO/IEC 13818-1 §2.7.5) and a DTS below zero after the offset.
func (s *Segmenter) checkVideoTime(d, p int64) error {
	switch {
	case d < 0:
		return fmt.Errorf("%w: DTS %v is more than %v before zero", ErrBadTimestamp, media.Duration(d), TimestampOffset)
	case p < d:
		return fmt.Errorf("%w: PTS %v before DTS %v", ErrBadTimestamp, media.Duration(p), media.Duration(d))
	case s.haveDTS && d < s.lastDTS:
		return fmt.Errorf("%w: DTS went back from %v to %v", ErrBadTimestamp, media.Duration(s.lastDTS), media.Duration(d))
	}
	return nil
}

// updateParams takes parameter sets sent in band; they alias the caller's
// buffer, so they are copied when they change anything.
func (s *Segmenter) updateParams(ps paramSets) {
	next := s.params
	if ps.sps != nil {
		next.sps = ps.sps
	}
	if ps.pps != nil {
		next.pps = ps.pps
	}
	if next.equal(s.params) {
		return
	}
	s.params = paramSets{sps: cloneNALUs(next.sps), pps: cloneNALUs(next.pps)}
	s.paramsGen++
}

func cloneNALUs(ns [][]byte) [][]byte {
	out := make([][]byte, len(ns))
	for i, n := range ns {
		out[i] = bytes.Clone(n)
	}
	return out
}

// writeIDR adds an IDR access unit, first ending the current segment when
// it is long enough or the parameter sets changed.
func (s *Segmenter) writeIDR(d, p int64, au [][]byte) error {
	g := s.cur
	if g.open && g.paramsGen == s.paramsGen && !s.longEnough(d) {
		g.addVideo(d, p, au, true)
		return s.checkSize()
	}
	err := s.rollover(d)
	g = s.cur
	g.open, g.startDTS, g.startPTS = true, d, p
	g.params, g.paramsGen = s.params, s.paramsGen
	g.addVideo(d, p, au, true)
	if err != nil {
		return err
	}
	return s.checkSize()
}

// longEnough reports whether an IDR at DTS d may end the current segment:
// at least Target long, less half a frame so that millisecond-rounded RTMP
// timestamps of a GOP exactly Target long still count.
func (s *Segmenter) longEnough(d int64) bool {
	half := s.cur.meanInterval() / 2
	if half == 0 {
		half = s.interval / 2
	}
	return d-s.cur.startDTS+half >= durTicks(s.cfg.Target)
}

// rollover emits the current segment, if one is open, with the audio before
// cut, and makes the spare segment current with the audio from cut on.
func (s *Segmenter) rollover(cut int64) error {
	next := s.spare
	next.reset()
	s.cur.carryAudio(next, cut)
	var err error
	if s.cur.open {
		err = s.emit(cut, cut)
	}
	s.cur, s.spare = next, s.cur
	return err
}

// emit muxes the current segment, whose media ends at end, and hands it on.
func (s *Segmenter) emit(end, audioEnd int64) error {
	g := s.cur
	data, nalus, err := g.mux(audioEnd, s.sizeHint+s.sizeHint/4, s.muxNALUs)
	s.muxNALUs = nalus
	if err != nil {
		return err
	}
	dur := end - g.startDTS
	s.interval = dur / int64(len(g.video))
	s.sizeHint = len(data)
	seg := media.Segment{Seq: s.seq, Data: data, Duration: media.Duration(dur), StartPTS: g.startPTS}
	s.seq++
	s.onSegment(seg)
	return nil
}

// checkSize drops the current segment once it holds more than MaxBytes.
func (s *Segmenter) checkSize() error {
	if n := len(s.cur.arena); n > s.cfg.MaxBytes {
		s.cur.reset()
		return fmt.Errorf("%w: %d bytes", ErrSegmentTooLarge, n)
	}
	return nil
}

// toTicks converts stream time to 90 kHz ticks with TimestampOffset added,
// without the overflow of multiplying first (media.Ticks overflows past
// about 28 hours, well inside RTMP's 49-day clock).
func toTicks(d time.Duration) int64 {
	return durTicks(d + TimestampOffset)
}

// durTicks converts a duration to 90 kHz ticks.
func durTicks(d time.Duration) int64 {
	return int64(d/time.Second)*media.TimeBase + int64(d%time.Second)*media.TimeBase/int64(time.Second)
}
