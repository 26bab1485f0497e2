package classical

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"testing"

	"github.com/castmesh/castmesh/ai/pipeline"
)

func TestDecodeImageFormats(t *testing.T) {
	src := scenery(64, 48)
	translucent := scenery(64, 48)
	translucent.Pix[3] = 128 // not opaque: decoded without the RGBA fast path
	for _, tc := range []struct {
		name   string
		encode func(*bytes.Buffer) error
		minDB  float64
	}{
		{"png", func(b *bytes.Buffer) error { return png.Encode(b, src) }, 1000},
		{"png with alpha", func(b *bytes.Buffer) error { return png.Encode(b, translucent) }, 1000},
		{"jpeg", func(b *bytes.Buffer) error { return jpeg.Encode(b, src, &jpeg.Options{Quality: 95}) }, 25},
		{"gif", func(b *bytes.Buffer) error { return gif.Encode(b, src, nil) }, 20},
		{"offset rgba", func(b *bytes.Buffer) error {
			off := image.NewRGBA(image.Rect(10, 20, 74, 68))
			for y := range 48 {
				for x := range 64 {
					off.Set(x+10, y+20, src.At(x, y))
				}
			}
			return png.Encode(b, off)
		}, 1000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := tc.encode(&buf); err != nil {
				t.Fatal(err)
			}
			got, err := decodeImage(pipeline.File{Data: buf.Bytes()}, 64*48)
			if err != nil {
				t.Fatal(err)
			}
			if got.Rect != image.Rect(0, 0, 64, 48) {
				t.Fatalf("bounds %v", got.Rect)
			}
			if db := psnr(t, src, got); db < tc.minDB && db != inf() {
				t.Fatalf("PSNR %.1f dB, want ≥ %g", db, tc.minDB)
			}
		})
	}
}

func TestDecodeImageRefuses(t *testing.T) {
	var buf bytes.Buffer
	if err := png.Encode(&buf, fill(100, 100, color.NRGBA{A: 255})); err != nil {
		t.Fatal(err)
	}
	_, err := decodeImage(pipeline.File{Data: buf.Bytes()}, 100*99)
	var fe *pipeline.FieldError
	if !errors.As(err, &fe) || fe.Field != "image" {
		t.Fatalf("too many pixels: got %v, want a *pipeline.FieldError on image", err)
	}
	for _, data := range [][]byte{nil, []byte("text"), buf.Bytes()[:60]} {
		if _, err := decodeImage(pipeline.File{Data: data}, 1<<20); !errors.Is(err, pipeline.ErrBadInput) {
			t.Fatalf("%q: got %v, want pipeline.ErrBadInput", data, err)
		}
	}
}

func TestBlendKeepsAlpha(t *testing.T) {
	in := fill(2, 1, color.NRGBA{100, 100, 100, 40})
	for _, tc := range []struct {
		strength float64
		want     uint8
	}{{0, 100}, {0.5, 150}, {1, 200}} {
		fx := fill(2, 1, color.NRGBA{200, 200, 200, 255})
		blend(fx, in, tc.strength)
		if fx.Pix[0] != tc.want || fx.Pix[3] != 40 {
			t.Errorf("strength %g: got %v, want %d with alpha 40", tc.strength, fx.Pix[:4], tc.want)
		}
	}
}
