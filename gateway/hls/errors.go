package hls

import "errors"

// Errors returned by Open.
var (
	// ErrStreamLive means a stream with that playback id is still live.
	ErrStreamLive = errors.New("a live stream has that playback id")
	// ErrBadPlaybackID means the id is not 1-128 of [A-Za-z0-9_-].
	ErrBadPlaybackID = errors.New("invalid playback id")
)
