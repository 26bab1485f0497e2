package segmenter_test

import (
	"encoding/binary"
	"testing"
	"time"

	"github.com/castmesh/castmesh/gateway/segmenter"
	"github.com/castmesh/castmesh/test/fixture"
)

// TestSegmenterResolutionChange switches from a 640x360 stream to a
// 320x180 one at 3 s, mid-segment: the new stream's first IDR must start a
// segment, with the new parameter sets, however they arrive.
func TestSegmenterResolutionChange(t *testing.T) {
	spec := fixture.ClipSpec{FPS: 30, Duration: 4 * time.Second, GOP: 2 * time.Second, Audio: true, Format: "flv"}
	specA, specB := spec, spec
	specA.Width, specA.Height = 640, 360
	specB.Width, specB.Height = 320, 180
	aVideo, aAudio, aFrames := split(readFLV(t, fixture.Clip(t, specA)))
	bVideo, _, bFrames := split(readFLV(t, fixture.Clip(t, specB)))
	const switchAt = 3 * time.Second

	tests := []struct {
		name string
		// announce returns the frames that bring in stream B's parameters.
		announce func(first frame) []frame
	}{
		{"sequence header", func(first frame) []frame {
			return []frame{{video: true, config: true, data: bVideo}, first}
		}},
		{"in band", func(first frame) []frame {
			first.data = append(paramsAVCC(t, bVideo), first.data...)
			return []frame{first}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := []frame{{video: true, config: true, data: aVideo}, {config: true, data: aAudio}}
			for _, f := range aFrames {
				if f.dts < switchAt {
					in = append(in, f)
				}
			}
			in = append(in, tt.announce(shift(bFrames[0], switchAt))...)
			for _, f := range bFrames[1:] {
				in = append(in, shift(f, switchAt))
			}
			segs := collect(t, segmenter.DefaultConfig(), in)
			want := []struct{ frames, width int }{{60, 640}, {30, 640}, {60, 320}, {60, 320}}
			if len(segs) != len(want) {
				t.Fatalf("%d segments, want %d", len(segs), len(want))
			}
			for i, seg := range segs {
				info := probe(t, seg, i)
				if info.Video.Frames != int64(want[i].frames) || info.Video.Width != want[i].width {
					t.Errorf("segment %d: %d frames at width %d, want %+v", i, info.Video.Frames, info.Video.Width, want[i])
				}
			}
			checkContinuous(t, segs)
			decodeWithFFmpeg(t, segs)
		})
	}
}

func shift(f frame, by time.Duration) frame {
	f.dts += by
	f.pts += by
	return f
}

// paramsAVCC returns the SPS and PPS of a decoder configuration record
// (ISO/IEC 14496-15 §5.3.3.1) as 4-byte length-prefixed NAL units.
func paramsAVCC(t testing.TB, conf []byte) []byte {
	t.Helper()
	var out []byte
	rest := conf[5:]
	for _, count := range []int{int(rest[0] & 0x1f), -1} {
		if count < 0 {
			count = int(rest[0])
		}
		rest = rest[1:]
		for range count {
			n := int(binary.BigEndian.Uint16(rest))
			out = binary.BigEndian.AppendUint32(out, uint32(n))
			out = append(out, rest[2:2+n]...)
			rest = rest[2+n:]
		}
	}
	if len(out) == 0 {
		t.Fatal("no parameter sets")
	}
	return out
}
