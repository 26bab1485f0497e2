package tesseract

import (
	"errors"
)

// Errors ImageToText returns, each also wrapping pipeline.ErrBadInput.
var (
	// ErrNotImage is an upload that is not a PNG, JPEG, GIF or WebP image
	// Go can decode.
	ErrNotImage = errors.New("not a readable image")
	// ErrTooLarge is an image over Config.MaxPixels.
	ErrTooLarge = errors.New("image too large")
)
