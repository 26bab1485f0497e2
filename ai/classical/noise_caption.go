package classical

import (
	"image"
	"strings"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

// drawCaption writes text in a 7×13 bitmap font, scaled by a whole factor
// that grows with the image, white on a darkened band at the bottom. Text
// that does not fit is cut with "..."; an image too small for four
// characters gets no caption.
func drawCaption(img *image.NRGBA, text string) {
	text = printable(text)
	w, h := img.Rect.Dx(), img.Rect.Dy()
	face := basicfont.Face7x13
	k := max(1, min(w, h)/320) // screen pixels per font pixel
	const pad = 3              // font pixels around the text
	fit := (w/k - 2*pad) / face.Advance
	bandH := (face.Height + 2*pad) * k
	if text == "" || fit < 4 || bandH > h/2 {
		return
	}
	if len(text) > fit {
		text = text[:fit-3] + "..."
	}
	glyphs := image.NewAlpha(image.Rect(0, 0, w/k, face.Height+2*pad))
	d := font.Drawer{Dst: glyphs, Src: image.Opaque, Face: face, Dot: fixed.P(pad, pad+face.Ascent)}
	d.DrawString(text)
	top := h - bandH
	for y := top; y < h; y++ {
		row := img.Pix[y*img.Stride:]
		for x := range w {
			o := 4 * x
			if glyphs.AlphaAt(x/k, (y-top)/k).A > 127 {
				row[o], row[o+1], row[o+2] = 255, 255, 255
				continue
			}
			row[o], row[o+1], row[o+2] = row[o]/3, row[o+1]/3, row[o+2]/3
		}
	}
}

// printable returns s on one line, with every rune the bitmap font lacks
// (it has printable ASCII) replaced by '?'.
func printable(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e {
			return '?'
		}
		return r
	}, s)
}
