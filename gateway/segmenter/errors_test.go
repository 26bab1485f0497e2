package segmenter_test

import (
	"errors"
	"testing"
	"time"

	"github.com/castmesh/castmesh/gateway/segmenter"
	"github.com/castmesh/castmesh/pkg/media"
	"github.com/castmesh/castmesh/test/fixture"
)

var clip1s = fixture.ClipSpec{
	Width: 320, Height: 180, FPS: 30, Duration: time.Second, GOP: 500 * time.Millisecond,
	Audio: true, Format: "flv",
}

// split returns the sequence headers and the media frames of a clip.
func split(frames []frame) (videoConf, audioConf []byte, media []frame) {
	for _, f := range frames {
		switch {
		case f.config && f.video:
			videoConf = f.data
		case f.config:
			audioConf = f.data
		default:
			media = append(media, f)
		}
	}
	return videoConf, audioConf, media
}

func TestSegmenterErrors(t *testing.T) {
	videoConf, audioConf, frames := split(readFLV(t, fixture.Clip(t, clip1s)))
	idr, audio := frames[0], firstAudio(frames)
	if !idr.video {
		t.Fatal("clip does not start with video")
	}
	configured := func(t *testing.T) *segmenter.Segmenter {
		s := newSegmenter(t, segmenter.DefaultConfig())
		if err := s.SetVideoConfig(videoConf); err != nil {
			t.Fatal(err)
		}
		if err := s.SetAudioConfig(audioConf); err != nil {
			t.Fatal(err)
		}
		return s
	}
	tests := []struct {
		name string
		run  func(*testing.T) error
		want error
	}{
		{"bad decoder config", func(t *testing.T) error {
			return newSegmenter(t, segmenter.DefaultConfig()).SetVideoConfig(videoConf[:10])
		}, segmenter.ErrBadDecoderConfig},
		{"bad audio config", func(t *testing.T) error {
			return newSegmenter(t, segmenter.DefaultConfig()).SetAudioConfig([]byte{0xf8, 0})
		}, segmenter.ErrBadAudioConfig},
		{"video before config", func(t *testing.T) error {
			return newSegmenter(t, segmenter.DefaultConfig()).WriteVideo(0, 0, idr.data)
		}, segmenter.ErrNoVideoConfig},
		{"audio before config", func(t *testing.T) error {
			return newSegmenter(t, segmenter.DefaultConfig()).WriteAudio(0, audio.data)
		}, segmenter.ErrNoAudioConfig},
		{"length past the end", func(t *testing.T) error {
			return configured(t).WriteVideo(0, 0, idr.data[:len(idr.data)-1])
		}, segmenter.ErrBadAVCC},
		{"empty audio frame", func(t *testing.T) error {
			return configured(t).WriteAudio(0, nil)
		}, segmenter.ErrBadAudioFrame},
		{"pts before dts", func(t *testing.T) error {
			return configured(t).WriteVideo(time.Second, 0, idr.data)
		}, segmenter.ErrBadTimestamp},
		{"dts far below zero", func(t *testing.T) error {
			return configured(t).WriteVideo(-time.Hour, 0, idr.data)
		}, segmenter.ErrBadTimestamp},
		{"dts going back", func(t *testing.T) error {
			s := configured(t)
			if err := s.WriteVideo(time.Second, time.Second, idr.data); err != nil {
				t.Fatal(err)
			}
			return s.WriteVideo(0, 0, nthVideo(frames, 1).data)
		}, segmenter.ErrBadTimestamp},
		{"gop too long", func(t *testing.T) error {
			s := configured(t)
			if err := s.WriteVideo(0, 0, idr.data); err != nil {
				t.Fatal(err)
			}
			return s.WriteVideo(16*time.Second, 16*time.Second, nthVideo(frames, 1).data)
		}, segmenter.ErrGOPTooLong},
		{"write after close", func(t *testing.T) error {
			s := configured(t)
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			return s.WriteVideo(0, 0, idr.data)
		}, segmenter.ErrClosed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.run(t); !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
		})
	}
}

func nthVideo(frames []frame, n int) frame {
	for _, f := range frames {
		if f.video {
			if n == 0 {
				return f
			}
			n--
		}
	}
	return frame{}
}

func firstAudio(frames []frame) frame {
	for _, f := range frames {
		if !f.video {
			return f
		}
	}
	return frame{}
}

func newSegmenter(t testing.TB, cfg segmenter.Config) *segmenter.Segmenter {
	t.Helper()
	s, err := segmenter.New(cfg, func(media.Segment) {})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestSegmenterResumesAfterLongGOP checks that after ErrGOPTooLong the next
// IDR starts a good segment.
func TestSegmenterResumesAfterLongGOP(t *testing.T) {
	videoConf, _, frames := split(readFLV(t, fixture.Clip(t, clip1s)))
	var segs []media.Segment
	cfg := segmenter.DefaultConfig()
	cfg.Target, cfg.Max = 200*time.Millisecond, 300*time.Millisecond
	s, err := segmenter.New(cfg, func(seg media.Segment) { segs = append(segs, seg) })
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetVideoConfig(videoConf); err != nil {
		t.Fatal(err)
	}
	var gopErrs int
	for _, f := range frames {
		if !f.video || f.dts >= 700*time.Millisecond {
			continue
		}
		err := s.WriteVideo(f.dts, f.pts, f.data)
		switch {
		case errors.Is(err, segmenter.ErrGOPTooLong):
			gopErrs++
		case err != nil:
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	// The first 0.5 s GOP is refused once it passes 0.3 s; the second
	// IDR starts afresh and Close flushes its first 0.2 s.
	if gopErrs != 1 || len(segs) != 1 {
		t.Fatalf("%d GOP errors, %d segments; want 1 and 1", gopErrs, len(segs))
	}
	info, err := media.ProbeTS(segs[0].Data)
	if err != nil || !info.Video.StartsWithIDR || segs[0].Seq != 0 {
		t.Fatalf("segment %d: %+v, %v", segs[0].Seq, info, err)
	}
	if start := media.Duration(segs[0].StartPTS) - segmenter.TimestampOffset; start < 500*time.Millisecond {
		t.Fatalf("segment starts at %v, want the second IDR at 0.5s", start)
	}
}

func TestConfigValidate(t *testing.T) {
	if err := segmenter.DefaultConfig().Validate(); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		change func(*segmenter.Config)
	}{
		{"zero target", func(c *segmenter.Config) { c.Target = 0 }},
		{"max below target", func(c *segmenter.Config) { c.Max = time.Second }},
		{"max too long", func(c *segmenter.Config) { c.Max = time.Hour }},
		{"tiny max bytes", func(c *segmenter.Config) { c.MaxBytes = 1000 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := segmenter.DefaultConfig()
			tt.change(&cfg)
			if cfg.Validate() == nil {
				t.Fatal("accepted")
			}
			if _, err := segmenter.New(cfg, func(media.Segment) {}); err == nil {
				t.Fatal("New accepted")
			}
		})
	}
}
