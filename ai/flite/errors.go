package flite

import (
	"errors"
)

// Errors TextToSpeech returns, each also wrapping pipeline.ErrBadInput.
var (
	// ErrEmptyText is text with nothing but spaces in it.
	ErrEmptyText = errors.New("empty text")
	// ErrTextTooLong is text over Config.MaxChars characters.
	ErrTextTooLong = errors.New("text too long")
)
