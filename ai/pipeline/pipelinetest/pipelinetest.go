// Package pipelinetest builds AI request bodies for tests: multipart forms
// with files, and images.
package pipelinetest

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"mime/multipart"
	"net/textproto"
	"sort"
	"testing"
)

// Part is one file of a multipart form.
type Part struct {
	Name        string // the form field, e.g. "image"
	FileName    string
	ContentType string
	Data        []byte
}

// Form builds a multipart/form-data body from text fields (sorted by name)
// and files, and returns its content type.
func Form(tb testing.TB, fields map[string]string, files ...Part) (contentType string, body []byte) {
	tb.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	names := make([]string, 0, len(fields))
	for k := range fields {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		if err := w.WriteField(k, fields[k]); err != nil {
			tb.Fatal(err)
		}
	}
	for _, f := range files {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", `form-data; name="`+f.Name+`"; filename="`+f.FileName+`"`)
		if f.ContentType != "" {
			h.Set("Content-Type", f.ContentType)
		}
		pw, err := w.CreatePart(h)
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := pw.Write(f.Data); err != nil {
			tb.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
	return w.FormDataContentType(), buf.Bytes()
}

// Image is a PNG file part named "image".
func Image(data []byte) Part {
	return Part{Name: "image", FileName: "in.png", ContentType: "image/png", Data: data}
}

// PNG encodes a w×h test image: a smooth gradient with a disc, so
// resampling and segmentation have edges and texture to work on.
func PNG(tb testing.TB, w, h int) []byte {
	tb.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	cx, cy, r := w/2, h/2, min(w, h)/4
	for y := range h {
		for x := range w {
			c := color.RGBA{R: uint8(255 * x / max(1, w-1)), G: uint8(255 * y / max(1, h-1)), B: 96, A: 255} //nolint:gosec // < 256
			if dx, dy := x-cx, y-cy; dx*dx+dy*dy <= r*r {
				c = color.RGBA{R: 230, G: 40, B: 40, A: 255}
			}
			img.SetRGBA(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}
