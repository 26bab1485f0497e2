package sphinx

import (
	"errors"
)

// Errors AudioToText returns, each also wrapping the pipeline error that
// says whose fault it is (pipeline.ErrBadInput or
// pipeline.ErrUnsupportedMedia).
var (
	// ErrNoAudio is an upload that is empty or holds no audio samples.
	ErrNoAudio = errors.New("no audio")
	// ErrTooLong is audio longer than Config.MaxDuration.
	ErrTooLong = errors.New("audio too long")
	// ErrUndecodable is an upload ffmpeg cannot decode as audio.
	ErrUndecodable = errors.New("audio cannot be decoded")
)
