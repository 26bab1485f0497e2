// Package ingest holds what every ingest protocol (RTMP, HTTP push, RTSP)
// shares with the gateway's stream manager: the request to open a stream, the
// stream handle a protocol feeds, and the errors a protocol maps to its own
// rejections.
package ingest

import (
	"context"
	"errors"

	"github.com/castmesh/castmesh/pkg/media"
)

// Protocol names how a stream arrives.
type Protocol string

// The ingest protocols.
const (
	RTMP     Protocol = "rtmp"
	HTTPPush Protocol = "http"
	RTSP     Protocol = "rtsp"
)

// OpenRequest asks to start (or, for HTTP push, resume) a stream.
type OpenRequest struct {
	// Key is the secret stream key the publisher presented.
	Key string
	// RemoteAddr is the publisher's address, host:port.
	RemoteAddr string
	Protocol   Protocol
}

// Opener admits publishers. The gateway's stream manager implements it.
type Opener interface {
	// Open checks the key and returns the stream to feed. It returns
	// ErrUnauthorized for a key that is refused and ErrTooManyStreams when
	// the gateway is full.
	Open(ctx context.Context, req OpenRequest) (Stream, error)
}

// Stream is one live stream as its ingest protocol sees it.
type Stream interface {
	// ID is the stream's public id (never the key).
	ID() string
	// PlaybackID names the stream in playback URLs.
	PlaybackID() string
	// Push hands a segment over for transcoding and playback, returning at
	// once; results go to the stream's playlists.
	Push(seg media.Segment)
	// Transcode hands a segment over and waits for its renditions, which also
	// go to the stream's playlists.
	Transcode(ctx context.Context, seg media.Segment) ([]media.Rendition, error)
	// Close ends the stream: segments in flight finish, then the recording
	// is finalized. Safe to call more than once.
	Close()
	// Done is closed once the stream has ended (closed by its publisher or
	// removed by the gateway).
	Done() <-chan struct{}
}

// Errors an ingest protocol maps to its own rejection.
var (
	ErrUnauthorized   = errors.New("stream key refused")
	ErrTooManyStreams = errors.New("too many streams")
	ErrStreamEnded    = errors.New("stream has ended")
	// ErrKeyInUse means a publisher is already live on this key.
	ErrKeyInUse = errors.New("stream key is already publishing")
	// ErrNoOrchestrator means no orchestrator could transcode the segment.
	ErrNoOrchestrator = errors.New("no orchestrator available")
	// ErrUnfunded means the gateway cannot pay for transcoding (no
	// deposit, or its funds are unlocking): nothing is started.
	ErrUnfunded = errors.New("the gateway cannot pay for transcoding")
)
