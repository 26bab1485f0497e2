package esrgan

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/png"
	"math"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"github.com/castmesh/castmesh/ai/pipeline"
)

// TestMatchesReference upscales the package's fixture and compares the
// result with the package's own reference outputs, made by UpscalerJS in
// TensorFlow.js. Nearest-neighbour upscaling is the baseline: it shows
// the comparison can fail.
func TestMatchesReference(t *testing.T) {
	for _, scale := range []int{2, 4} {
		t.Run("x"+strconv.Itoa(scale), func(t *testing.T) {
			cfg := testConfig(t)
			cfg.Scale = scale
			m := newModel(t, cfg)
			in := readPNG(t, filepath.Join(cfg.AssetsDir, "assets", "fixture.png"))
			want := readPNG(t, filepath.Join(cfg.AssetsDir, "assets", "samples", strconv.Itoa(scale)+"x", "result.png"))
			got := upscale(t, m, encode(t, in))
			model, baseline := psnr(t, got, want), psnr(t, nearest(in, scale), want)
			t.Logf("%s: PSNR %.1f dB against the reference; nearest-neighbour baseline %.1f dB", m.ModelID(), model, baseline)
			if model < 40 {
				t.Errorf("PSNR %.1f dB < 40 dB", model)
			}
			if baseline > 35 {
				t.Errorf("baseline PSNR %.1f dB is too close to pass for the model", baseline)
			}
		})
	}
}

func TestUpscaleRejectsBadInput(t *testing.T) {
	cfg := testConfig(t)
	cfg.MaxInputPixels = 64 * 64
	m := newModel(t, cfg)
	fixturePNG := encode(t, readPNG(t, filepath.Join(cfg.AssetsDir, "assets", "fixture.png")))
	smallPNG := encode(t, mosaic(t, cfg.AssetsDir, 32, 32))
	cases := []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"not an image", []byte("this is not an image")},
		{"zero size gif", zeroGIF()},
		{"truncated png", smallPNG[:len(smallPNG)/2]},
		{"too many pixels", fixturePNG},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := m.Upscale(t.Context(), &pipeline.UpscaleParams{Image: pipeline.File{Data: c.data}})
			if !errors.Is(err, pipeline.ErrBadInput) {
				t.Fatalf("err = %v, want ErrBadInput", err)
			}
			t.Log(err)
		})
	}
	_, err := m.Upscale(t.Context(), &pipeline.UpscaleParams{ModelID: "upscalerjs/esrgan-slim-x4", Image: pipeline.File{Data: fixturePNG}})
	if !errors.Is(err, pipeline.ErrWrongModel) {
		t.Errorf("other model id: err = %v, want ErrWrongModel", err)
	}
}

// zeroGIF is a GIF whose logical screen and only frame are 0 × 0.
func zeroGIF() []byte {
	return []byte("GIF89a\x00\x00\x00\x00\x00\x00\x00" + // header, 0×0 screen, no palette
		",\x00\x00\x00\x00\x00\x00\x00\x00\x00" + // a 0×0 frame, no palette
		"\x02\x02\x44\x01\x00" + // LZW min code size 2, one empty block
		";")
}

func TestUpscaleAnswers(t *testing.T) {
	cfg := testConfig(t)
	m := newModel(t, cfg)
	if m.Pipeline() != pipeline.Upscale || m.ModelID() != "upscalerjs/esrgan-slim-x2" {
		t.Errorf("pipeline %q, model %q", m.Pipeline(), m.ModelID())
	}
	seed := int64(42)
	data := encode(t, readPNG(t, filepath.Join(cfg.AssetsDir, "assets", "fixture.png")))
	media, err := m.Upscale(t.Context(), &pipeline.UpscaleParams{Prompt: "a cat", Seed: &seed, Image: pipeline.File{Data: data}})
	if err != nil {
		t.Fatal(err)
	}
	if media.MIME != "image/png" || media.Seed != 42 || media.NSFW {
		t.Errorf("media %q seed %d nsfw %v", media.MIME, media.Seed, media.NSFW)
	}
}

// TestUpscaleConcurrent runs requests from several goroutines (under
// -race) and checks each gets the same picture as a lone request.
func TestUpscaleConcurrent(t *testing.T) {
	cfg := testConfig(t)
	m := newModel(t, cfg)
	data := encode(t, mosaic(t, cfg.AssetsDir, 96, 64))
	want := upscale(t, m, data)
	var wg sync.WaitGroup
	got := make([]image.Image, 3)
	for i := range got {
		wg.Go(func() {
			media, err := m.Upscale(t.Context(), &pipeline.UpscaleParams{Image: pipeline.File{Data: data}})
			if err != nil {
				t.Error(err)
				return
			}
			got[i], err = png.Decode(bytes.NewReader(media.Data))
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	for i, img := range got {
		if img != nil && !math.IsInf(psnr(t, img, want), 1) {
			t.Errorf("request %d differs from a lone request", i)
		}
	}
}

func TestUpscaleStops(t *testing.T) {
	cfg := testConfig(t)
	m := newModel(t, cfg)
	data := encode(t, readPNG(t, filepath.Join(cfg.AssetsDir, "assets", "fixture.png")))
	p := &pipeline.UpscaleParams{Image: pipeline.File{Data: data}}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := m.Upscale(ctx, p); !errors.Is(err, context.Canceled) {
		t.Errorf("ended context: err = %v, want Canceled", err)
	}
	if err := m.Load(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Load on ended context: err = %v, want Canceled", err)
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Upscale(t.Context(), p); !errors.Is(err, ErrClosed) {
		t.Errorf("after Close: err = %v, want ErrClosed", err)
	}
}
