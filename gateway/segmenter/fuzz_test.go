package segmenter_test

import (
	"encoding/binary"
	"testing"
	"time"

	"github.com/castmesh/castmesh/gateway/segmenter"
	"github.com/castmesh/castmesh/pkg/media"
	"github.com/castmesh/castmesh/test/fixture"
)

// Fuzz input is a list of commands: op(1) dtsStepMs(1) ctMs(1 signed)
// length(2) payload. op%4: 0 video config, 1 video frame, 2 audio config,
// 3 audio frame.
func encodeCommands(frames []frame) []byte {
	var out []byte
	var last time.Duration
	for _, f := range frames {
		op := byte(3)
		switch {
		case f.video && f.config:
			op = 0
		case f.video:
			op = 1
		case f.config:
			op = 2
		}
		step := min((f.dts-last)/time.Millisecond, 255)
		last = f.dts
		out = append(out, op, byte(step), byte(int8((f.pts-f.dts)/time.Millisecond)))
		out = binary.BigEndian.AppendUint16(out, uint16(len(f.data)))
		out = append(out, f.data...)
	}
	return out
}

func FuzzSegmenter(f *testing.F) {
	frames := readFLV(f, fixture.Clip(f, clip1s))
	f.Add(encodeCommands(frames))
	f.Add(encodeCommands(frames[:8]))
	f.Fuzz(func(t *testing.T, cmds []byte) {
		cfg := segmenter.DefaultConfig()
		cfg.Target, cfg.Max = 100*time.Millisecond, 400*time.Millisecond
		var segs []media.Segment
		s, err := segmenter.New(cfg, func(seg media.Segment) { segs = append(segs, seg) })
		if err != nil {
			t.Fatal(err)
		}
		run(s, cmds)
		_ = s.Close() // errors are expected; panics and bad segments are not
		for i, seg := range segs {
			info, err := media.ProbeTS(seg.Data)
			if err != nil {
				t.Fatalf("segment %d does not probe: %v", i, err)
			}
			if !info.Video.StartsWithIDR || seg.Seq != int64(i) || seg.Duration < 0 {
				t.Fatalf("segment %d: seq %d, duration %v, starts with IDR %v", i, seg.Seq, seg.Duration, info.Video.StartsWithIDR)
			}
		}
	})
}

func run(s *segmenter.Segmenter, cmds []byte) {
	var dts time.Duration
	for len(cmds) >= 5 {
		op, step, ct := cmds[0]%4, time.Duration(cmds[1])*time.Millisecond, time.Duration(int8(cmds[2]))*time.Millisecond
		n := min(int(binary.BigEndian.Uint16(cmds[3:5])), len(cmds)-5)
		data := cmds[5 : 5+n]
		cmds = cmds[5+n:]
		dts += step
		switch op {
		case 0:
			_ = s.SetVideoConfig(data)
		case 1:
			_ = s.WriteVideo(dts, dts+ct, data)
		case 2:
			_ = s.SetAudioConfig(data)
		case 3:
			_ = s.WriteAudio(dts, data)
		}
	}
}
