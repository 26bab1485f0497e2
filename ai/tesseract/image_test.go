package tesseract

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"testing"

	"github.com/castmesh/castmesh/ai/pipeline"
)

// FuzzDecode checks that any upload either decodes into an image within the
// pixel bound, whose grey PGM has one byte per pixel, or fails as bad input.
func FuzzDecode(f *testing.F) {
	img := image.NewNRGBA(image.Rect(0, 0, 7, 3))
	for _, enc := range []func(*bytes.Buffer) error{
		func(b *bytes.Buffer) error { return png.Encode(b, img) },
		func(b *bytes.Buffer) error { return jpeg.Encode(b, img, nil) },
		func(b *bytes.Buffer) error { return gif.Encode(b, img, nil) },
	} {
		var b bytes.Buffer
		if err := enc(&b); err != nil {
			f.Fatal(err)
		}
		f.Add(b.Bytes())
	}
	f.Add([]byte("RIFF\x00\x00\x00\x00WEBPVP8 "))
	const maxPixels = 1 << 16
	f.Fuzz(func(t *testing.T, data []byte) {
		img, err := decode(data, maxPixels)
		if err != nil {
			if !errors.Is(err, pipeline.ErrBadInput) {
				t.Fatalf("error %v is not bad input", err)
			}
			return
		}
		size := img.Bounds().Size()
		if px := size.X * size.Y; px > maxPixels {
			t.Fatalf("%v is over the bound", size)
		}
		g := grey(img)
		header := len(fmt.Sprintf("P5\n%d %d\n255\n", size.X, size.Y))
		if n := len(pgm(g)); n != header+size.X*size.Y {
			t.Fatalf("pgm of %v is %d bytes", size, n)
		}
	})
}
