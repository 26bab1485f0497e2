package media_test

import (
	"errors"
	"os"
	"testing"
	"time"

	"github.com/castmesh/castmesh/pkg/media"
	"github.com/castmesh/castmesh/test/fixture"
)

func readSegment(t *testing.T, spec fixture.ClipSpec, i int) []byte {
	t.Helper()
	segs := fixture.Segments(t, spec, spec.GOP)
	b, err := os.ReadFile(segs[i])
	if err != nil {
		t.Fatal(err)
	}
	return b
}

var smallClip = fixture.ClipSpec{Width: 320, Height: 180, FPS: 30, Duration: 4 * time.Second, GOP: 2 * time.Second, Audio: true, Format: "mp4"}

func TestProbeTS(t *testing.T) {
	data := readSegment(t, smallClip, 1)
	info, err := media.ProbeTS(data)
	if err != nil {
		t.Fatal(err)
	}
	v := info.Video
	if v.Codec != media.H264 || v.Width != 320 || v.Height != 180 {
		t.Fatalf("video %+v", v)
	}
	if v.Frames != 60 || !v.StartsWithIDR {
		t.Fatalf("frames %d idr %v, want 60 true", v.Frames, v.StartsWithIDR)
	}
	if d := info.Duration; d < 1990*time.Millisecond || d > 2010*time.Millisecond {
		t.Fatalf("duration %v, want 2s", d)
	}
	if info.Audio == nil || info.Audio.Codec != "aac" || info.Audio.CodecString != "mp4a.40.2" || info.Audio.Frames == 0 {
		t.Fatalf("audio %+v", info.Audio)
	}
	if got := info.Codecs(); got != "avc1.64000d,mp4a.40.2" {
		t.Fatalf("codecs %q", got)
	}
	// The second segment starts two seconds in: PTS survive the cut.
	if start := media.Duration(v.FirstPTS); start < 2*time.Second {
		t.Fatalf("first PTS %v, want >= 2s", start)
	}
}

func TestProbeTSRejects(t *testing.T) {
	good := readSegment(t, smallClip, 0)
	mpeg2 := readSegment(t, fixture.ClipSpec{
		Width: 320, Height: 180, FPS: 25, Duration: 2 * time.Second, GOP: time.Second,
		Format: "mpegts", VideoCodec: "mpeg2video",
	}, 0)
	tests := []struct {
		name string
		data []byte
		want func(error) bool
	}{
		{"empty", nil, is(media.ErrNotTS)},
		{"text", []byte("hello, this is not video"), is(media.ErrNotTS)},
		{"cut mid packet", good[:188*20+50], is(media.ErrTruncated)},
		{"tables only", good[:188*2], func(err error) bool { return media.IsInputError(err) }},
		{"lost sync", append(append([]byte{}, good[:188]...), make([]byte, 188)...), is(media.ErrNotTS)},
		{"mpeg-2 video", mpeg2, func(err error) bool {
			var uc *media.UnsupportedCodecError
			return errors.As(err, &uc) && uc.Codec == "mpeg2video"
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := media.ProbeTS(tt.data)
			if err == nil || !tt.want(err) || !media.IsInputError(err) {
				t.Fatalf("got %v", err)
			}
		})
	}
}

func is(target error) func(error) bool {
	return func(err error) bool { return errors.Is(err, target) }
}

func FuzzProbeTS(f *testing.F) {
	f.Add([]byte{0x47})
	f.Add(make([]byte, 188))
	f.Fuzz(func(t *testing.T, data []byte) {
		info, err := media.ProbeTS(data)
		if err == nil && (info.Video.Frames == 0 || info.Video.Width == 0) {
			t.Fatalf("accepted without frames: %+v", info)
		}
	})
}
