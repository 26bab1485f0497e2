package classical

import (
	"errors"
	"testing"

	xdraw "golang.org/x/image/draw"

	"github.com/castmesh/castmesh/ai/pipeline"
)

func newLanczos(t testing.TB, scale int) *Lanczos {
	t.Helper()
	cfg := DefaultLanczosConfig()
	cfg.FFmpeg, cfg.Scale = ffmpegConfig(t), scale
	m, err := NewLanczos(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestLanczosScales(t *testing.T) {
	in := scenery(120, 90)
	for _, scale := range []int{2, 4} {
		m := newLanczos(t, scale)
		if want := map[int]string{2: "classical/ffmpeg-lanczos-x2", 4: "classical/ffmpeg-lanczos-x4"}[scale]; m.ModelID() != want {
			t.Errorf("model id %q, want %q", m.ModelID(), want)
		}
		out, err := m.Upscale(t.Context(), &pipeline.UpscaleParams{Prompt: "ignored", Image: pngFile(t, in), Seed: seedPtr(3)})
		if err != nil {
			t.Fatal(err)
		}
		got := decodePNG(t, out)
		w, h := 120*scale, 90*scale
		if got.Rect.Dx() != w || got.Rect.Dy() != h || out.Seed != 3 {
			t.Fatalf("x%d: %v seed %d, want %d×%d seed 3", scale, got.Rect.Size(), out.Seed, w, h)
		}
		nearest := resize(in, w, h, xdraw.NearestNeighbor)
		db := psnr(t, nearest, got)
		back := psnr(t, in, resize(got, 120, 90, xdraw.ApproxBiLinear))
		t.Logf("x%d: vs nearest %.1f dB, scaled back vs input %.1f dB", scale, db, back)
		if db < 25 || db == inf() {
			t.Errorf("x%d vs nearest: PSNR %.1f dB, want the same picture, resampled (25 dB..+Inf)", scale, db)
		}
		if back < 30 {
			t.Errorf("x%d scaled back down vs the input: PSNR %.1f dB, want ≥ 30", scale, back)
		}
	}
}

// TestLanczosBeatsNearest shrinks a picture, scales it back up and checks
// that Lanczos comes nearer the original than nearest-neighbour does.
func TestLanczosBeatsNearest(t *testing.T) {
	truth := scenery(480, 360)
	small := resize(truth, 120, 90, xdraw.CatmullRom)
	out, err := newLanczos(t, 4).Upscale(t.Context(), &pipeline.UpscaleParams{Image: pngFile(t, small)})
	if err != nil {
		t.Fatal(err)
	}
	lanczos, nearest := psnr(t, truth, decodePNG(t, out)), psnr(t, truth, resize(small, 480, 360, xdraw.NearestNeighbor))
	t.Logf("vs the original: Lanczos %.1f dB, nearest %.1f dB", lanczos, nearest)
	if lanczos <= nearest {
		t.Fatalf("Lanczos %.1f dB is no nearer the original than nearest %.1f dB", lanczos, nearest)
	}
}

func TestLanczosRefusesHugeOutput(t *testing.T) {
	cfg := DefaultLanczosConfig()
	cfg.FFmpeg, cfg.Scale, cfg.MaxInputPixels, cfg.MaxOutputPixels = ffmpegConfig(t), 4, 100*100, 100*100
	m, err := NewLanczos(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = m.Upscale(t.Context(), &pipeline.UpscaleParams{Image: pngFile(t, scenery(30, 30))})
	var fe *pipeline.FieldError
	if !errors.As(err, &fe) || fe.Field != "image" {
		t.Fatalf("got %v, want a *pipeline.FieldError on image", err)
	}
}
