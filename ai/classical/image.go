package classical

import (
	"bytes"
	"fmt"
	"image"
	"image/draw"
	_ "image/gif"  // inputs may be GIF
	_ "image/jpeg" // or JPEG
	"image/png"
	"runtime"
	"sync"

	_ "golang.org/x/image/webp" // or WebP

	"github.com/castmesh/castmesh/ai/pipeline"
)

// decodeImage reads an input image into straight-alpha RGBA at origin
// (0, 0). An image that cannot be read is the caller's fault; so is one of
// more than maxPixels, which is refused before its pixels are allocated.
func decodeImage(f pipeline.File, maxPixels int64) (*image.NRGBA, error) {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(f.Data))
	if err != nil {
		return nil, fmt.Errorf("%w: image: %w", pipeline.ErrBadInput, err)
	}
	if cfg.Width < 1 || cfg.Height < 1 {
		return nil, fieldError("image", "has no pixels")
	}
	if px := int64(cfg.Width) * int64(cfg.Height); px > maxPixels {
		return nil, fieldError("image", "is %d×%d; at most %d pixels are taken", cfg.Width, cfg.Height, maxPixels)
	}
	img, _, err := image.Decode(bytes.NewReader(f.Data))
	if err != nil {
		return nil, fmt.Errorf("%w: image: %w", pipeline.ErrBadInput, err)
	}
	return toNRGBA(img), nil
}

// toNRGBA converts img, using image/draw's fast paths into RGBA when img
// is opaque (then premultiplied and straight alpha are the same bytes). An
// *image.NRGBA at the origin is returned as it is, not copied.
func toNRGBA(img image.Image) *image.NRGBA {
	b := img.Bounds()
	r := image.Rect(0, 0, b.Dx(), b.Dy())
	if n, ok := img.(*image.NRGBA); ok && b.Min == (image.Point{}) && n.Stride == 4*b.Dx() {
		return n
	}
	if o, ok := img.(interface{ Opaque() bool }); ok && o.Opaque() {
		dst := image.NewRGBA(r)
		draw.Draw(dst, r, img, b.Min, draw.Src)
		return &image.NRGBA{Pix: dst.Pix, Stride: dst.Stride, Rect: r}
	}
	dst := image.NewNRGBA(r)
	draw.Draw(dst, r, img, b.Min, draw.Src)
	return dst
}

// encodePNG writes img as PNG at zlib's fastest level: about six times
// faster than the default level for files about a third larger, a good
// trade on a CPU worker whose outputs are sent once.
func encodePNG(img image.Image) ([]byte, error) {
	return encodePNGAt(img, png.BestSpeed)
}

func encodePNGAt(img image.Image, level png.CompressionLevel) ([]byte, error) {
	enc := png.Encoder{CompressionLevel: level}
	var buf bytes.Buffer
	if err := enc.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("encode png: %w", err)
	}
	return buf.Bytes(), nil
}

// encodePNGs encodes frames at level in parallel, one goroutine per CPU.
func encodePNGs(frames []*image.NRGBA, level png.CompressionLevel) ([][]byte, error) {
	out := make([][]byte, len(frames))
	errs := make([]error, len(frames))
	parallel(len(frames), func(i int) { out[i], errs[i] = encodePNGAt(frames[i], level) })
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// parallel calls fn(0) … fn(n-1) on up to GOMAXPROCS goroutines and
// returns when all have returned.
func parallel(n int, fn func(i int)) {
	workers := min(n, runtime.GOMAXPROCS(0))
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := range next {
				fn(i)
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}
