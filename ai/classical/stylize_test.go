package classical

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/castmesh/castmesh/ai/pipeline"
)

func newStylize(t testing.TB) *Stylize {
	t.Helper()
	cfg := DefaultStylizeConfig()
	cfg.FFmpeg = ffmpegConfig(t)
	m, err := NewStylize(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestStylizeStrength(t *testing.T) {
	m := newStylize(t)
	in := scenery(160, 120)
	for _, st := range styleNames() {
		t.Run(st, func(t *testing.T) {
			for _, tc := range []struct {
				strength float64
				lo, hi   float64 // PSNR against the input, dB
			}{
				{0, inf(), inf()},
				{0.05, 30, inf()},
				{0.5, 0, 35},
				{1, 0, 28},
			} {
				out, err := m.ImageToImage(t.Context(), &pipeline.ImageToImageParams{
					Prompt: "in " + st + " style", Image: pngFile(t, in), Strength: tc.strength, NumImages: 1, Seed: seedPtr(1),
				})
				if err != nil {
					t.Fatal(err)
				}
				got := decodePNG(t, out[0])
				db := psnr(t, in, got)
				t.Logf("strength %g: PSNR %.1f dB", tc.strength, db)
				if db < tc.lo || db > tc.hi {
					t.Errorf("strength %g: PSNR %.1f dB, want %g..%g", tc.strength, db, tc.lo, tc.hi)
				}
			}
		})
	}
}

func TestStylizeSeeds(t *testing.T) {
	m := newStylize(t)
	file := pngFile(t, scenery(160, 120))
	run := func(prompt string) []pipeline.Media {
		out, err := m.ImageToImage(t.Context(), &pipeline.ImageToImageParams{Prompt: prompt, Image: file, Strength: 1, NumImages: 2, Seed: seedPtr(10)})
		if err != nil {
			t.Fatal(err)
		}
		if len(out) != 2 || out[0].Seed != 10 || out[1].Seed != 11 {
			t.Fatalf("got %d images, want 2 with seeds 10 and 11", len(out))
		}
		return out
	}
	neon := run("neon")
	if bytes.Equal(neon[0].Data, neon[1].Data) {
		t.Error("neon: seeds 10 and 11 gave the same image")
	}
	if again := run("neon"); !bytes.Equal(again[0].Data, neon[0].Data) {
		t.Error("neon: seed 10 gave two different images")
	}
	if sketch := run("sketch"); !bytes.Equal(sketch[0].Data, sketch[1].Data) {
		t.Error("sketch ignores the seed, yet seeds 10 and 11 differ")
	}
}

func TestPickStyle(t *testing.T) {
	for _, tc := range []struct{ prompt, want string }{
		{"", "cartoon"},
		{"make it look like a Pencil drawing", "sketch"},
		{"neon comic", "neon"},
		{"a POSTER, please", "posterize"},
		{"unrelated words", "cartoon"},
		{"pencils", "cartoon"}, // whole words only
	} {
		if got := pickStyle(tc.prompt, "cartoon").name; got != tc.want {
			t.Errorf("%q: got %s, want %s", tc.prompt, got, tc.want)
		}
	}
	if got := pickStyle("nothing", "sketch").name; got != "sketch" {
		t.Errorf("default sketch: got %s", got)
	}
}

func TestStylizeRejects(t *testing.T) {
	m := newStylize(t)
	file := pngFile(t, scenery(32, 32))
	for _, tc := range []struct {
		name  string
		p     pipeline.ImageToImageParams
		field string
	}{
		{"strength below 0", pipeline.ImageToImageParams{Image: file, Strength: -0.1, NumImages: 1}, "strength"},
		{"strength above 1", pipeline.ImageToImageParams{Image: file, Strength: 1.5, NumImages: 1}, "strength"},
		{"no images", pipeline.ImageToImageParams{Image: file, Strength: 0.5}, "num_images_per_prompt"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := m.ImageToImage(t.Context(), &tc.p)
			var fe *pipeline.FieldError
			if !errors.As(err, &fe) || fe.Field != tc.field {
				t.Fatalf("got %v, want a *pipeline.FieldError on %s", err, tc.field)
			}
		})
	}
	_, err := m.ImageToImage(t.Context(), &pipeline.ImageToImageParams{Image: pipeline.File{Data: []byte("not an image")}, Strength: 0.5, NumImages: 1})
	if !errors.Is(err, pipeline.ErrBadInput) {
		t.Fatalf("unreadable image: got %v, want pipeline.ErrBadInput", err)
	}
}

func TestStylizeFFmpegFailureIsOurs(t *testing.T) {
	cfg := DefaultStylizeConfig()
	cfg.FFmpeg.Path = "/nonexistent/ffmpeg"
	m, err := NewStylize(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = m.ImageToImage(t.Context(), &pipeline.ImageToImageParams{Image: pngFile(t, scenery(32, 32)), Strength: 0.5, NumImages: 1})
	var fe *FFmpegError
	if !errors.As(err, &fe) || pipeline.IsInputError(err) {
		t.Fatalf("got %v, want an *FFmpegError that is not an input error", err)
	}
}

func TestStylizeStopsWithContext(t *testing.T) {
	m := newStylize(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := m.ImageToImage(ctx, &pipeline.ImageToImageParams{Image: pngFile(t, scenery(32, 32)), Strength: 0.5, NumImages: 1})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
}
