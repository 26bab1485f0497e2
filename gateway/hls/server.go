package hls

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"
)

// Server holds the HLS state of every stream and serves it over HTTP.
type Server struct {
	cfg     Config
	logger  *slog.Logger
	metrics *Metrics
	// now is the clock; tests replace it before Run starts.
	now func() time.Time

	// held is the segment bytes all streams hold in memory.
	held atomic.Int64

	mu      sync.Mutex
	streams map[string]*Stream
}

// New validates cfg and makes a server; with disk storage it creates
// cfg.Dir and removes the segments of streams a previous run left there.
func New(cfg Config, logger *slog.Logger, m *Metrics) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	logger = logger.With("component", "hls")
	if cfg.Storage == StorageDisk {
		if err := os.MkdirAll(cfg.Dir, 0o755); err != nil {
			return nil, fmt.Errorf("hls dir: %w", err)
		}
		n, err := removeOrphans(cfg.Dir)
		if err != nil {
			return nil, fmt.Errorf("hls dir: %w", err)
		}
		if n > 0 {
			logger.Info("removed the segments of streams a previous run left", "dir", cfg.Dir, "streams", n)
		}
	}
	return &Server{
		cfg:     cfg,
		logger:  logger,
		metrics: m,
		now:     time.Now,
		streams: make(map[string]*Stream),
	}, nil
}

// Run removes ended streams RetainEnded after their end, checking every
// SweepInterval, until ctx ends.
func (s *Server) Run(ctx context.Context) error {
	t := time.NewTicker(s.cfg.SweepInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			s.sweep()
		}
	}
}

// Open starts the HLS output of a stream. An ended stream with the same
// playback id is replaced; a live one makes Open fail with ErrStreamLive.
func (s *Server) Open(playbackID string) (*Stream, error) {
	if !playbackIDPattern.MatchString(playbackID) {
		return nil, fmt.Errorf("%w: %q", ErrBadPlaybackID, playbackID)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if old := s.streams[playbackID]; old != nil {
		if !old.isEnded() {
			return nil, fmt.Errorf("%w: %s", ErrStreamLive, playbackID)
		}
		s.remove(old)
	}
	st := &Stream{
		srv:     s,
		id:      playbackID,
		logger:  s.logger.With("playback_id", playbackID),
		waiting: make(map[int64]pending),
		byName:  make(map[string]*rendition),
	}
	if s.cfg.Storage == StorageDisk {
		st.dir = filepath.Join(s.cfg.Dir, playbackID)
		if err := os.RemoveAll(st.dir); err != nil {
			return nil, fmt.Errorf("clear old segments of %s: %w", playbackID, err)
		}
	}
	s.streams[playbackID] = st
	s.metrics.Streams.Set(float64(len(s.streams)))
	return st, nil
}

// sweep removes expired streams.
func (s *Server) sweep() {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, st := range s.streams {
		if st.expired(now, s.cfg.RetainEnded) {
			s.logger.Info("ended stream expired", "playback_id", st.id)
			s.remove(st)
		}
	}
}

// remove forgets a stream and deletes its segments. Called with s.mu held,
// so Open cannot start a stream in the directory being deleted.
func (s *Server) remove(st *Stream) {
	delete(s.streams, st.id)
	s.metrics.Streams.Set(float64(len(s.streams)))
	st.mu.Lock()
	st.hold(-st.bytes)
	st.mu.Unlock()
	if st.dir != "" {
		if err := os.RemoveAll(st.dir); err != nil {
			s.logger.Warn("cannot remove segments of an expired stream", "playback_id", st.id, "error", err)
		}
	}
}

// stream returns the stream with that playback id, or nil.
func (s *Server) stream(playbackID string) *Stream {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.streams[playbackID]
}
