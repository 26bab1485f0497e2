package tesseract

import (
	"bytes"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"strconv"

	"golang.org/x/image/webp"

	"github.com/castmesh/castmesh/ai/pipeline"
)

// format is an image format this model reads.
type format struct {
	name   string
	magic  func([]byte) bool
	config func(io.Reader) (image.Config, error)
	decode func(io.Reader) (image.Image, error)
}

// formats are the formats read, chosen by magic number here rather than
// through image.RegisterFormat, so no other package's registration widens
// them.
func formats() []format {
	return []format{
		{"png", prefix("\x89PNG\r\n\x1a\n"), png.DecodeConfig, png.Decode},
		{"jpeg", prefix("\xff\xd8\xff"), jpeg.DecodeConfig, jpeg.Decode},
		{"gif", func(b []byte) bool { return prefix("GIF87a")(b) || prefix("GIF89a")(b) }, gif.DecodeConfig, gif.Decode},
		{"webp", func(b []byte) bool { return prefix("RIFF")(b) && len(b) >= 12 && string(b[8:12]) == "WEBP" }, webp.DecodeConfig, webp.Decode},
	}
}

func prefix(p string) func([]byte) bool {
	return func(b []byte) bool { return bytes.HasPrefix(b, []byte(p)) }
}

// decode reads an image of at most maxPixels.
func decode(data []byte, maxPixels int64) (image.Image, error) {
	for _, f := range formats() {
		if !f.magic(data) {
			continue
		}
		cfg, err := f.config(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("%w: %w: %s: %w", pipeline.ErrBadInput, ErrNotImage, f.name, err)
		}
		if cfg.Width <= 0 || cfg.Height <= 0 {
			return nil, fmt.Errorf("%w: %w: %s of %d × %d", pipeline.ErrBadInput, ErrNotImage, f.name, cfg.Width, cfg.Height)
		}
		if px := int64(cfg.Width) * int64(cfg.Height); px > maxPixels {
			return nil, fmt.Errorf("%w: %w: %d × %d is over %d pixels", pipeline.ErrBadInput, ErrTooLarge, cfg.Width, cfg.Height, maxPixels)
		}
		img, err := f.decode(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("%w: %w: %s: %w", pipeline.ErrBadInput, ErrNotImage, f.name, err)
		}
		return img, nil
	}
	return nil, fmt.Errorf("%w: %w: not PNG, JPEG, GIF or WebP", pipeline.ErrBadInput, ErrNotImage)
}

// grey is the image in 8-bit grey (ITU-R BT.601 luma, as color.GrayModel),
// laid over white where it is transparent.
func grey(img image.Image) *image.Gray {
	b := img.Bounds()
	g := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
	if y, ok := img.(*image.YCbCr); ok {
		// JPEG's Y is already full-range luma.
		for row := range b.Dy() {
			off := y.YOffset(b.Min.X, b.Min.Y+row)
			copy(g.Pix[row*g.Stride:], y.Y[off:off+b.Dx()])
		}
		return g
	}
	for row := range b.Dy() {
		for col := range b.Dx() {
			r, gr, bl, a := img.At(b.Min.X+col, b.Min.Y+row).RGBA()
			white := 0xffff - a // the colours are alpha-premultiplied
			lum := (19595*(r+white) + 38470*(gr+white) + 7471*(bl+white) + 1<<15) >> 24
			g.Pix[row*g.Stride+col] = uint8(lum)
		}
	}
	return g
}

// pgm encodes a grey image as binary PGM (P5), which tesseract's image
// library reads without a codec.
func pgm(g *image.Gray) []byte {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	out := make([]byte, 0, 20+w*h)
	out = append(out, "P5\n"+strconv.Itoa(w)+" "+strconv.Itoa(h)+"\n255\n"...)
	for row := range h {
		out = append(out, g.Pix[row*g.Stride:row*g.Stride+w]...)
	}
	return out
}
