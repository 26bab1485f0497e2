package classical

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math"
	"math/rand/v2"
	"testing"

	"go.uber.org/goleak"
	xdraw "golang.org/x/image/draw"

	"github.com/castmesh/castmesh/ai/pipeline"
	"github.com/castmesh/castmesh/test/fixture"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// ffmpegConfig returns the default ffmpeg config with the installed
// binary, skipping the test (failing it under CI) without one.
func ffmpegConfig(t testing.TB) FFmpegConfig {
	t.Helper()
	cfg := DefaultFFmpegConfig()
	cfg.Path = fixture.RequireTool(t, "ffmpeg")
	return cfg
}

// scenery is a deterministic photo-like test image: a sky gradient, a sun,
// hills, a striped house and a little sensor noise.
func scenery(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	rng := rand.New(rand.NewPCG(1, 2))
	fw, fh := float64(w), float64(h)
	for y := range h {
		for x := range w {
			fx, fy := float64(x)/fw, float64(y)/fh
			c := [3]float64{60 + 150*fx, 100 + 120*fy, 230 - 150*fx*fy} // sky
			if math.Hypot(fx-0.75, fy-0.25) < 0.1 {
				c = [3]float64{250, 220, 90} // sun
			}
			if fy > 0.6+0.08*math.Sin(fx*9) {
				c = [3]float64{40 + 160*fx, 100 + 40*math.Sin(fx*30) + 50*fy, 50 + 100*fy} // hills
			}
			if fx > 0.2 && fx < 0.4 && fy > 0.45 && fy < 0.75 {
				c = [3]float64{180, 60, 50} // house
				if int(fy*fh/6)%2 == 0 {
					c = [3]float64{150, 40, 40}
				}
			}
			o := img.PixOffset(x, y)
			for ch := range 3 {
				img.Pix[o+ch] = uint8(min(max(c[ch]+rng.NormFloat64()*3, 0), 255))
			}
			img.Pix[o+3] = 255
		}
	}
	return img
}

// pngFile is img as an uploaded file, as pipeline.Decoder makes it.
func pngFile(t testing.TB, img image.Image) pipeline.File {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	return pipeline.File{Name: "in.png", ContentType: "image/png", Data: buf.Bytes(), Width: b.Dx(), Height: b.Dy()}
}

// decodePNG decodes a model's output, failing unless it is a PNG.
func decodePNG(t testing.TB, m pipeline.Media) *image.NRGBA {
	t.Helper()
	if m.MIME != "image/png" || m.NSFW {
		t.Fatalf("MIME %q NSFW %v, want image/png and false", m.MIME, m.NSFW)
	}
	img, err := png.Decode(bytes.NewReader(m.Data))
	if err != nil {
		t.Fatal(err)
	}
	return toNRGBA(img)
}

// psnr compares the RGB of two images of one size, in dB (+Inf when equal).
func psnr(t testing.TB, a, b *image.NRGBA) float64 {
	t.Helper()
	if a.Rect.Size() != b.Rect.Size() {
		t.Fatalf("sizes %v and %v differ", a.Rect.Size(), b.Rect.Size())
	}
	var se float64
	n := 0
	for y := range a.Rect.Dy() {
		for x := range a.Rect.Dx() {
			pa, pb := a.Pix[a.PixOffset(x, y):], b.Pix[b.PixOffset(x, y):]
			for c := range 3 {
				d := float64(pa[c]) - float64(pb[c])
				se += d * d
				n++
			}
		}
	}
	if se == 0 {
		return math.Inf(1)
	}
	return 10 * math.Log10(255*255/(se/float64(n)))
}

// resize scales img to w × h with the given interpolator.
func resize(img image.Image, w, h int, s xdraw.Scaler) *image.NRGBA {
	dst := image.NewNRGBA(image.Rect(0, 0, w, h))
	s.Scale(dst, dst.Rect, img, img.Bounds(), xdraw.Src, nil)
	return dst
}

// coverCrop scales img to cover w × h and crops the middle, as the Ken
// Burns model frames its first frame.
func coverCrop(img image.Image, w, h int) *image.NRGBA {
	b := img.Bounds()
	k := max(float64(w)/float64(b.Dx()), float64(h)/float64(b.Dy()))
	sw, sh := int(math.Round(float64(b.Dx())*k)), int(math.Round(float64(b.Dy())*k))
	big := resize(img, sw, sh, xdraw.CatmullRom)
	return toNRGBA(big.SubImage(image.Rect((sw-w)/2, (sh-h)/2, (sw-w)/2+w, (sh-h)/2+h)))
}

// fill is a w × h image of one colour.
func fill(w, h int, c color.NRGBA) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = c.R, c.G, c.B, c.A
	}
	return img
}

func seedPtr(s int64) *int64 { return &s }

func inf() float64 { return math.Inf(1) }
