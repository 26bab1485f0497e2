package esrgan

import (
	"bytes"
	"fmt"
	"image"
	"image/draw"
	"image/png"

	"github.com/castmesh/castmesh/ai/onnx"
	"github.com/castmesh/castmesh/ai/pipeline"
)

// checkImage reads the image's header: the caller learns of an unreadable
// or oversized image before the request waits for the network.
func checkImage(data []byte, maxPixels int) error {
	if len(data) == 0 {
		return fmt.Errorf("%w: image is empty", pipeline.ErrBadInput)
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("%w: image: %w", pipeline.ErrBadInput, err)
	}
	if cfg.Width < 1 || cfg.Height < 1 {
		return fmt.Errorf("%w: image is %d×%d", pipeline.ErrBadInput, cfg.Width, cfg.Height)
	}
	if cfg.Width > maxPixels/cfg.Height {
		return fmt.Errorf("%w: image is %d×%d; at most %d pixels are upscaled", pipeline.ErrBadInput, cfg.Width, cfg.Height, maxPixels)
	}
	return nil
}

// decode reads an image (any format registered with package image:
// pipeline registers PNG, JPEG, GIF and WebP) as RGBA at the origin.
// RGBA is premultiplied, so transparent parts come out composited on black.
func decode(data []byte, maxPixels int) (*image.RGBA, error) {
	if err := checkImage(data, maxPixels); err != nil {
		return nil, err
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%w: image: %w", pipeline.ErrBadInput, err)
	}
	b := img.Bounds()
	if b.Empty() {
		return nil, fmt.Errorf("%w: image has no pixels", pipeline.ErrBadInput)
	}
	dst := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(dst, dst.Rect, img, b.Min, draw.Src)
	return dst, nil
}

// toPlanes cuts r out of src as a [1, 3, h, w] tensor of 0–255 values.
func toPlanes(src *image.RGBA, r image.Rectangle) onnx.Float32 {
	w, h := r.Dx(), r.Dy()
	plane := w * h
	data := make([]float32, 3*plane)
	for y := range h {
		row := src.Pix[src.PixOffset(r.Min.X, r.Min.Y+y):]
		for x := range w {
			i := y*w + x
			data[i] = float32(row[4*x])
			data[plane+i] = float32(row[4*x+1])
			data[2*plane+i] = float32(row[4*x+2])
		}
	}
	return onnx.Float32{Shape: []int64{1, 3, int64(h), int64(w)}, Data: data}
}

// fromPlanes writes the part of out, a [1, 3, H, W] network output for the
// input rectangle t.in, that belongs to t.core into dst, rounding to 0–255
// (the network overshoots the range by a few tens).
func fromPlanes(out onnx.Float32, dst *image.RGBA, t tile, scale int) error {
	w, h := scale*t.in.Dx(), scale*t.in.Dy()
	if len(out.Shape) != 4 || out.Shape[0] != 1 || out.Shape[1] != 3 || out.Shape[2] != int64(h) || out.Shape[3] != int64(w) {
		return fmt.Errorf("%w: network output %v for a %d×%d tile", ErrModelFormat, out.Shape, t.in.Dx(), t.in.Dy())
	}
	plane := w * h
	x0, y0 := scale*(t.core.Min.X-t.in.Min.X), scale*(t.core.Min.Y-t.in.Min.Y)
	cw, ch := scale*t.core.Dx(), scale*t.core.Dy()
	for y := range ch {
		row := dst.Pix[dst.PixOffset(scale*t.core.Min.X, scale*t.core.Min.Y+y):]
		src := (y0+y)*w + x0
		for x := range cw {
			i := src + x
			p := row[4*x : 4*x+4 : 4*x+4]
			p[0], p[1], p[2], p[3] = toByte(out.Data[i]), toByte(out.Data[plane+i]), toByte(out.Data[2*plane+i]), 0xff
		}
	}
	return nil
}

// toByte clamps v to 0–255 and rounds it; NaN becomes 0.
func toByte(v float32) uint8 {
	switch {
	case !(v > 0):
		return 0
	case v >= 255:
		return 255
	}
	return uint8(v + 0.5)
}

// encodePNG writes img as PNG, favouring speed: the output is large and
// goes straight back to the caller.
func encodePNG(img image.Image) ([]byte, error) {
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("encode png: %w", err)
	}
	return buf.Bytes(), nil
}
