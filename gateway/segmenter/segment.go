package segmenter

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/mpeg4audio"
	"github.com/bluenviron/mediacommon/v2/pkg/formats/mpegts"
	tscodecs "github.com/bluenviron/mediacommon/v2/pkg/formats/mpegts/codecs"
)

// noEnd is the audio cut of the last segment: it takes every audio frame.
const noEnd = math.MaxInt64

// videoFrame is one access unit stored in a segment's arena as 4-byte
// length-prefixed NAL units. Timestamps are 90 kHz ticks, offset included.
type videoFrame struct {
	dts, pts int64
	off, end int
	// idr frames had their AUD/SPS/PPS removed; the segment's parameter
	// sets go in front of them when muxed.
	idr bool
}

// audioFrame is one raw AAC frame in a segment's arena.
type audioFrame struct {
	pts      int64
	off, end int
}

// segment is the media of one segment being collected. Two of them
// alternate so their buffers are reused.
type segment struct {
	// open is true once the segment has its first IDR; before that it only
	// holds audio waiting for one.
	open      bool
	startDTS  int64
	startPTS  int64
	params    paramSets
	paramsGen int
	audioConf *mpeg4audio.AudioSpecificConfig
	video     []videoFrame
	audio     []audioFrame
	arena     []byte
}

func (g *segment) reset() {
	g.open = false
	g.audioConf = nil
	g.params = paramSets{}
	g.video = g.video[:0]
	g.audio = g.audio[:0]
	g.arena = g.arena[:0]
}

// addVideo stores an access unit. IDR access units lose their AUD and
// parameter sets, which mux writes back from the segment's own.
func (g *segment) addVideo(dts, pts int64, au [][]byte, idr bool) {
	off := len(g.arena)
	for _, n := range au {
		if idr {
			switch h264.NALUType(n[0] & 0x1f) {
			case h264.NALUTypeAccessUnitDelimiter, h264.NALUTypeSPS, h264.NALUTypePPS:
				continue
			}
		}
		g.arena = binary.BigEndian.AppendUint32(g.arena, uint32(len(n)))
		g.arena = append(g.arena, n...)
	}
	g.video = append(g.video, videoFrame{dts: dts, pts: pts, off: off, end: len(g.arena), idr: idr})
}

// addAudio stores a raw AAC frame coded with conf; a frame in a config
// other than the segment's is dropped (a changed config applies from the
// next segment).
func (g *segment) addAudio(pts int64, raw []byte, conf *mpeg4audio.AudioSpecificConfig) {
	if g.audioConf == nil {
		g.audioConf = conf
	} else if g.audioConf != conf {
		return
	}
	off := len(g.arena)
	g.arena = append(g.arena, raw...)
	g.audio = append(g.audio, audioFrame{pts: pts, off: off, end: len(g.arena)})
}

// carryAudio moves into next the audio frames with a PTS at or after cut.
func (g *segment) carryAudio(next *segment, cut int64) {
	for _, a := range g.audio {
		if a.pts >= cut {
			next.addAudio(a.pts, g.arena[a.off:a.end], g.audioConf)
		}
	}
}

// lastDTS returns the DTS of the last video frame.
func (g *segment) lastDTS() int64 { return g.video[len(g.video)-1].dts }

// meanInterval returns the mean video frame interval, 0 with one frame.
func (g *segment) meanInterval() int64 {
	if len(g.video) < 2 {
		return 0
	}
	return (g.lastDTS() - g.startDTS) / int64(len(g.video)-1)
}

// muxer writes one segment's frames as MPEG-TS.
type muxer struct {
	w     *mpegts.Writer
	vt    *mpegts.Track
	at    *mpegts.Track
	nalus [][]byte
}

// mux writes the segment as MPEG-TS into a buffer of about sizeHint bytes:
// PAT/PMT, then video and the audio frames before audioEnd interleaved by
// time, video first so it carries the PCR.
func (g *segment) mux(audioEnd int64, sizeHint int, nalus [][]byte) ([]byte, [][]byte, error) {
	buf := bytes.NewBuffer(make([]byte, 0, sizeHint))
	m := &muxer{vt: &mpegts.Track{Codec: &tscodecs.H264{}}, nalus: nalus}
	tracks := []*mpegts.Track{m.vt}
	if len(g.audio) > 0 {
		m.at = &mpegts.Track{Codec: &tscodecs.MPEG4Audio{Config: *g.audioConf}}
		tracks = append(tracks, m.at)
	}
	m.w = &mpegts.Writer{W: buf, Tracks: tracks}
	if err := m.w.Initialize(); err != nil {
		return nil, m.nalus, fmt.Errorf("mpeg-ts writer: %w", err)
	}
	if _, err := m.w.WriteTables(); err != nil {
		return nil, m.nalus, fmt.Errorf("mpeg-ts tables: %w", err)
	}
	ai := 0
	for vi, v := range g.video {
		for vi > 0 && ai < len(g.audio) && g.audio[ai].pts < v.dts && g.audio[ai].pts < audioEnd {
			if err := m.writeAudio(g, g.audio[ai]); err != nil {
				return nil, m.nalus, err
			}
			ai++
		}
		if err := m.writeVideo(g, v); err != nil {
			return nil, m.nalus, err
		}
	}
	for ; ai < len(g.audio); ai++ {
		if g.audio[ai].pts < audioEnd {
			if err := m.writeAudio(g, g.audio[ai]); err != nil {
				return nil, m.nalus, err
			}
		}
	}
	return buf.Bytes(), m.nalus, nil
}

func (m *muxer) writeVideo(g *segment, v videoFrame) error {
	au := m.nalus[:0]
	if v.idr {
		au = append(append(au, g.params.sps...), g.params.pps...)
	}
	for b := g.arena[v.off:v.end]; len(b) > 0; {
		n := int(binary.BigEndian.Uint32(b))
		au = append(au, b[4:4+n])
		b = b[4+n:]
	}
	m.nalus = au[:0]
	if len(au) == 0 {
		return nil
	}
	if err := m.w.WriteH264(m.vt, v.pts, v.dts, au); err != nil {
		return fmt.Errorf("mpeg-ts video: %w", err)
	}
	return nil
}

func (m *muxer) writeAudio(g *segment, a audioFrame) error {
	if err := m.w.WriteMPEG4Audio(m.at, a.pts, [][]byte{g.arena[a.off:a.end]}); err != nil {
		return fmt.Errorf("mpeg-ts audio: %w", err)
	}
	return nil
}
