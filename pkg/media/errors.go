package media

import (
	"errors"
	"fmt"
)

// Errors returned when a segment cannot be used. Callers branch on them with
// errors.Is; all of them mean the input is bad, not that the system failed.
var (
	// ErrNotTS means the bytes are not an MPEG-TS stream at all.
	ErrNotTS = errors.New("not an MPEG-TS stream")
	// ErrTruncated means the stream ends inside a 188-byte packet.
	ErrTruncated = errors.New("truncated MPEG-TS stream")
	// ErrNoVideo means the stream has no decodable video frame.
	ErrNoVideo = errors.New("no video frames")
	// ErrNotMP4 means the bytes are not a fragmented MP4 stream.
	ErrNotMP4 = errors.New("not a fragmented MP4 stream")
	// ErrInvalidInput means a transcoder refused the input for a reason
	// reported from afar (a remote worker's ffmpeg, say).
	ErrInvalidInput = errors.New("input cannot be transcoded")
)

// UnsupportedCodecError reports a codec castmesh cannot transcode.
type UnsupportedCodecError struct {
	// Kind is "video" or "audio".
	Kind string
	// Codec names what was found.
	Codec string
}

func (e *UnsupportedCodecError) Error() string {
	return fmt.Sprintf("unsupported %s codec %s", e.Kind, e.Codec)
}

// IsInputError reports whether err says the input itself is bad, so retrying
// it elsewhere cannot help.
func IsInputError(err error) bool {
	var uc *UnsupportedCodecError
	return errors.Is(err, ErrNotTS) || errors.Is(err, ErrTruncated) ||
		errors.Is(err, ErrNoVideo) || errors.Is(err, ErrNotMP4) || errors.Is(err, ErrInvalidInput) ||
		errors.As(err, &uc)
}
