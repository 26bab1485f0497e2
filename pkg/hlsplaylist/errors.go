package hlsplaylist

import "errors"

// Errors returned for input that would make a broken playlist. They come
// wrapped with the variant or segment they were found in.
var (
	// ErrNoVariants means a multivariant playlist was asked for with no variants.
	ErrNoVariants = errors.New("no variants")
	// ErrNoSegments means a media playlist was asked for with no segments.
	ErrNoSegments = errors.New("no segments")
	// ErrBadURI means a URI is empty, starts with '#', is not UTF-8, or
	// holds white space, a control character or (in an attribute) a '"'.
	ErrBadURI = errors.New("invalid URI")
	// ErrBadAttribute means an attribute value cannot be written: a quoted
	// string with '"' or a control character, or a number out of range.
	ErrBadAttribute = errors.New("invalid attribute")
	// ErrBadDuration means a segment duration is not positive once rounded
	// to milliseconds, or is implausibly long.
	ErrBadDuration = errors.New("invalid segment duration")
	// ErrBadSequence means a media or discontinuity sequence number is negative.
	ErrBadSequence = errors.New("negative sequence number")
	// ErrMixedMap means some segments have an EXT-X-MAP and others not.
	ErrMixedMap = errors.New("segments with and without EXT-X-MAP")
	// ErrBadPlaylistType means a playlist type other than "", EVENT or VOD,
	// or a VOD playlist that has not ended (RFC 8216 §4.3.3.5: a VOD
	// playlist cannot change).
	ErrBadPlaylistType = errors.New("invalid playlist type")
)
