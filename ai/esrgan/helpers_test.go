package esrgan

import (
	"bytes"
	"image"
	"image/draw"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/castmesh/castmesh/ai/pipeline"
	"github.com/castmesh/castmesh/test/fixture"
)

// testConfig is the default config pointing at the setup script's assets,
// skipping the test without them.
func testConfig(t testing.TB) Config {
	t.Helper()
	dir := fixture.AIAssets(t)
	cfg := DefaultConfig()
	cfg.AssetsDir = filepath.Join(dir, "esrgan-slim")
	cfg.Library = filepath.Join(dir, "onnxruntime", "libonnxruntime.so")
	return cfg
}

func newModel(t testing.TB, cfg Config) *Model {
	t.Helper()
	m, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := m.Close(); err != nil {
			t.Error(err)
		}
	})
	return m
}

func readPNG(t testing.TB, path string) image.Image {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func encode(t testing.TB, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func upscale(t testing.TB, m *Model, data []byte) image.Image {
	t.Helper()
	media, err := m.Upscale(t.Context(), &pipeline.UpscaleParams{Prompt: "ignored", Image: pipeline.File{Data: data}})
	if err != nil {
		t.Fatal(err)
	}
	if media.MIME != "image/png" {
		t.Errorf("MIME = %q", media.MIME)
	}
	img, err := png.Decode(bytes.NewReader(media.Data))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// psnr compares the RGB channels of two images of one size, in dB;
// identical images give +Inf.
func psnr(t testing.TB, a, b image.Image) float64 {
	t.Helper()
	if a.Bounds().Size() != b.Bounds().Size() {
		t.Fatalf("sizes %v and %v differ", a.Bounds().Size(), b.Bounds().Size())
	}
	ra, rb := toRGBA(a), toRGBA(b)
	var sum float64
	n := 0
	for i := range ra.Pix {
		if i%4 == 3 {
			continue
		}
		d := float64(ra.Pix[i]) - float64(rb.Pix[i])
		sum += d * d
		n++
	}
	if sum == 0 {
		return math.Inf(1)
	}
	return 10 * math.Log10(255*255/(sum/float64(n)))
}

func toRGBA(img image.Image) *image.RGBA {
	b := img.Bounds()
	dst := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(dst, dst.Rect, img, b.Min, draw.Src)
	return dst
}

// nearest is the baseline: every pixel repeated s × s.
func nearest(img image.Image, s int) image.Image {
	src := toRGBA(img)
	dst := image.NewRGBA(image.Rect(0, 0, s*src.Rect.Dx(), s*src.Rect.Dy()))
	for y := range dst.Rect.Dy() {
		for x := range dst.Rect.Dx() {
			dst.SetRGBA(x, y, src.RGBAAt(x/s, y/s))
		}
	}
	return dst
}

// mosaic is a w × h test image made of the package's fixture, repeated
// and mirrored so the content has no seams of its own.
func mosaic(t testing.TB, assets string, w, h int) image.Image {
	t.Helper()
	src := toRGBA(readPNG(t, filepath.Join(assets, "assets", "fixture.png")))
	sw, sh := src.Rect.Dx(), src.Rect.Dy()
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			sx, sy := x%(2*sw), y%(2*sh)
			if sx >= sw {
				sx = 2*sw - 1 - sx
			}
			if sy >= sh {
				sy = 2*sh - 1 - sy
			}
			dst.SetRGBA(x, y, src.RGBAAt(sx, sy))
		}
	}
	return dst
}
