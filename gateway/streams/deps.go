package streams

import (
	"context"
	"time"

	"github.com/castmesh/castmesh/gateway/auth"
	"github.com/castmesh/castmesh/gateway/ingest"
	"github.com/castmesh/castmesh/pkg/media"
)

// Authorizer admits publishers.
type Authorizer interface {
	Authorize(ctx context.Context, req ingest.OpenRequest) (auth.Grant, error)
}

// Transcoder sends segments to the network.
type Transcoder interface {
	Transcode(ctx context.Context, streamID string, seg media.Segment, profiles []media.Profile) ([]media.Rendition, error)
	EndStream(ctx context.Context, streamID string)
}

// Playlist is a stream's HLS output.
type Playlist interface {
	Add(seq int64, dur time.Duration, renditions []media.Rendition)
	Skip(seq int64)
	SkipTo(seq int64)
	End()
}

// Deps are the manager's collaborators.
type Deps struct {
	Auth       Authorizer
	Transcoder Transcoder
	// OpenPlaylist starts a stream's HLS output.
	OpenPlaylist func(playbackID string) (Playlist, error)
	// PlaybackURL is the public URL of a playback id's master playlist.
	PlaybackURL func(playbackID string) string
	// Funded, when set, says whether the gateway can pay for transcoding;
	// a stream is refused while it cannot (payments on).
	Funded func(ctx context.Context) error
}
