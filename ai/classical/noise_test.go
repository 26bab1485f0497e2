package classical

import (
	"bytes"
	"errors"
	"testing"

	"github.com/castmesh/castmesh/ai/pipeline"
)

func newSeededNoise(t testing.TB) *SeededNoise {
	t.Helper()
	m, err := NewSeededNoise(DefaultSeededNoiseConfig())
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func textToImage(t testing.TB, m *SeededNoise, p pipeline.TextToImageParams) []pipeline.Media {
	t.Helper()
	out, err := m.TextToImage(t.Context(), &p)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != p.NumImages {
		t.Fatalf("%d images, want %d", len(out), p.NumImages)
	}
	return out
}

func TestSeededNoiseIsDeterministic(t *testing.T) {
	m := newSeededNoise(t)
	p := pipeline.TextToImageParams{Prompt: "a lighthouse in a storm", Width: 160, Height: 96, NumImages: 1, Seed: seedPtr(42)}
	a, b := textToImage(t, m, p), textToImage(t, m, p)
	if !bytes.Equal(a[0].Data, b[0].Data) {
		t.Fatal("the same seed and prompt gave different bytes")
	}
	other := p
	other.Seed = seedPtr(43)
	c := textToImage(t, m, other)
	if got := psnr(t, decodePNG(t, a[0]), decodePNG(t, c[0])); got > 20 {
		t.Fatalf("seeds 42 and 43: PSNR %.1f dB, want clearly different images (< 20)", got)
	}
	other = p
	other.Prompt = "a field of tulips"
	if d := textToImage(t, m, other); bytes.Equal(a[0].Data, d[0].Data) {
		t.Fatal("different prompts gave the same image")
	}
}

func TestSeededNoiseImagesUseSeedPlusI(t *testing.T) {
	m := newSeededNoise(t)
	out := textToImage(t, m, pipeline.TextToImageParams{Prompt: "x", Width: 120, Height: 72, NumImages: 3, Seed: seedPtr(7)})
	for i, o := range out {
		if img := decodePNG(t, o); img.Rect.Dx() != 120 || img.Rect.Dy() != 72 {
			t.Fatalf("image %d is %v, want 120×72", i, img.Rect.Size())
		}
		if o.Seed != 7+int64(i) {
			t.Fatalf("image %d has seed %d, want %d", i, o.Seed, 7+i)
		}
	}
	alone := textToImage(t, m, pipeline.TextToImageParams{Prompt: "x", Width: 120, Height: 72, NumImages: 1, Seed: seedPtr(8)})
	if !bytes.Equal(alone[0].Data, out[1].Data) {
		t.Fatal("image 1 of seed 7 differs from image 0 of seed 8")
	}
}

func TestSeededNoiseRandomSeedIsReported(t *testing.T) {
	m := newSeededNoise(t)
	p := pipeline.TextToImageParams{Prompt: "x", Width: 64, Height: 64, NumImages: 1}
	out := textToImage(t, m, p)
	if s := out[0].Seed; s < 0 || s > 1<<32-1 {
		t.Fatalf("seed %d outside [0, 2^32-1]", s)
	}
	p.Seed = seedPtr(out[0].Seed)
	if again := textToImage(t, m, p); !bytes.Equal(again[0].Data, out[0].Data) {
		t.Fatal("the reported seed does not reproduce the image")
	}
}

func TestSeededNoiseCaption(t *testing.T) {
	cfg := DefaultSeededNoiseConfig()
	plain, err := NewSeededNoise(SeededNoiseConfig{MaxSide: cfg.MaxSide, MaxImages: cfg.MaxImages})
	if err != nil {
		t.Fatal(err)
	}
	p := pipeline.TextToImageParams{Prompt: "hello", Width: 200, Height: 100, NumImages: 1, Seed: seedPtr(1)}
	with, without := decodePNG(t, textToImage(t, newSeededNoise(t), p)[0]), decodePNG(t, textToImage(t, plain, p)[0])
	top, bottom := with.Rect, with.Rect
	top.Max.Y, bottom.Min.Y = 70, 70
	if psnr(t, toNRGBA(with.SubImage(top)), toNRGBA(without.SubImage(top))) != inf() {
		t.Fatal("the caption changed the top of the image")
	}
	if psnr(t, toNRGBA(with.SubImage(bottom)), toNRGBA(without.SubImage(bottom))) == inf() {
		t.Fatal("no caption at the bottom")
	}
}

func TestSeededNoiseRejects(t *testing.T) {
	ok := pipeline.TextToImageParams{Prompt: "x", Width: 64, Height: 64, NumImages: 1}
	for _, tc := range []struct {
		name  string
		edit  func(p *pipeline.TextToImageParams)
		field string
	}{
		{"narrow", func(p *pipeline.TextToImageParams) { p.Width = 4 }, "width"},
		{"tall", func(p *pipeline.TextToImageParams) { p.Height = 4096 }, "height"},
		{"no images", func(p *pipeline.TextToImageParams) { p.NumImages = 0 }, "num_images_per_prompt"},
		{"many images", func(p *pipeline.TextToImageParams) { p.NumImages = 9 }, "num_images_per_prompt"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := ok
			tc.edit(&p)
			_, err := newSeededNoise(t).TextToImage(t.Context(), &p)
			var fe *pipeline.FieldError
			if !errors.As(err, &fe) || fe.Field != tc.field {
				t.Fatalf("got %v, want a *pipeline.FieldError on %s", err, tc.field)
			}
		})
	}
}

func TestPrintable(t *testing.T) {
	if got := printable("  café\tau\n lait ☕ "); got != "caf? au lait ?" {
		t.Fatalf("got %q", got)
	}
}
