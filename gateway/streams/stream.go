package streams

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/castmesh/castmesh/gateway/ingest"
	"github.com/castmesh/castmesh/pkg/media"
)

// Stream is one live stream; it implements ingest.Stream.
type Stream struct {
	m          *Manager
	id         string
	key        string
	playbackID string
	protocol   ingest.Protocol
	profiles   []media.Profile
	started    time.Time
	playlist   Playlist
	logger     *slog.Logger

	// ctx outlives the publisher's connection, so segments in flight when
	// it ends still finish; cancel aborts them at shutdown.
	ctx    context.Context
	cancel context.CancelFunc
	slots  chan struct{}
	wg     sync.WaitGroup
	done   chan struct{}

	mu      sync.Mutex
	closed  bool
	queued  int
	begun   bool // the first segment has been seen
	last    time.Time
	played  int64
	failed  int64
	dropped int64
	encoded map[string][2]int // rendition → actual width, height
}

var _ ingest.Stream = (*Stream)(nil)

func newStream(ctx context.Context, m *Manager, req ingest.OpenRequest, id, playbackID string, profiles []media.Profile, playlist Playlist) *Stream {
	sctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	now := m.now()
	return &Stream{
		m: m, id: id, key: req.Key, playbackID: playbackID, protocol: req.Protocol, profiles: profiles,
		started: now, playlist: playlist, ctx: sctx, cancel: cancel,
		logger: m.logger.With("stream", id, "playback_id", playbackID, "protocol", req.Protocol),
		slots:  make(chan struct{}, m.cfg.MaxInFlight), done: make(chan struct{}), last: now,
		encoded: map[string][2]int{},
	}
}

// ID is the stream's public id.
func (s *Stream) ID() string { return s.id }

// PlaybackID names the stream in playback URLs.
func (s *Stream) PlaybackID() string { return s.playbackID }

// Done is closed when the stream has ended.
func (s *Stream) Done() <-chan struct{} { return s.done }

func (s *Stream) touch() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.last = s.m.now()
}

func (s *Stream) lastPush() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.last
}

func (s *Stream) isClosed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}

// admit counts a segment in, or says why it cannot come in.
func (s *Stream) admit(seg media.Segment) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ingest.ErrStreamEnded
	}
	if !s.begun {
		s.begun = true
		s.playlist.SkipTo(seg.Seq) // a push stream may start at any number
	}
	s.last = s.m.now()
	if s.queued >= s.m.cfg.MaxInFlight+s.m.cfg.MaxQueued {
		s.dropped++
		return errBacklog
	}
	s.queued++
	s.wg.Add(1)
	return nil
}

// errBacklog means the stream has too many segments waiting.
var errBacklog = errors.New("too many segments waiting; segment dropped")

// Push transcodes a segment in the background.
func (s *Stream) Push(seg media.Segment) {
	if err := s.admit(seg); err != nil {
		s.reject(seg, err)
		return
	}
	go func() { _, _ = s.process(seg) }() // process reports its own failures
}

// Transcode transcodes a segment and waits for it. The segment goes on to
// the playlists even if ctx ends first.
func (s *Stream) Transcode(ctx context.Context, seg media.Segment) ([]media.Rendition, error) {
	if err := s.admit(seg); err != nil {
		s.reject(seg, err)
		return nil, err
	}
	type result struct {
		rs  []media.Rendition
		err error
	}
	out := make(chan result, 1)
	go func() {
		rs, err := s.process(seg)
		out <- result{rs, err}
	}()
	select {
	case r := <-out:
		return r.rs, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (s *Stream) reject(seg media.Segment, err error) {
	if errors.Is(err, errBacklog) {
		s.logger.Warn("segment dropped", "seq", seg.Seq, "reason", err)
		s.m.metrics.segments.WithLabelValues("dropped").Inc()
		s.playlist.Skip(seg.Seq)
	}
}

// process runs one admitted segment through the network into the playlists.
func (s *Stream) process(seg media.Segment) ([]media.Rendition, error) {
	defer s.wg.Done()
	defer func() {
		s.mu.Lock()
		s.queued--
		s.mu.Unlock()
	}()
	select {
	case s.slots <- struct{}{}:
		defer func() { <-s.slots }()
	case <-s.ctx.Done():
		s.playlist.Skip(seg.Seq)
		return nil, s.ctx.Err()
	}
	rs, err := s.m.deps.Transcoder.Transcode(s.ctx, s.id, seg, s.profiles)
	if err != nil {
		s.playlist.Skip(seg.Seq)
		s.count(func() { s.failed++ }, "failed")
		s.logger.Warn("segment lost", "seq", seg.Seq, "err", err)
		if media.IsInputError(err) {
			return nil, err
		}
		return nil, errors.Join(ingest.ErrNoOrchestrator, err)
	}
	s.playlist.Add(seg.Seq, seg.Duration, rs)
	s.count(func() {
		s.played++
		for _, r := range rs {
			s.encoded[r.Profile.Name] = [2]int{r.Width, r.Height}
		}
	}, "played")
	return rs, nil
}

func (s *Stream) count(update func(), fate string) {
	s.mu.Lock()
	update()
	s.mu.Unlock()
	s.m.metrics.segments.WithLabelValues(fate).Inc()
}

// Close ends the stream once its segments in flight are done.
func (s *Stream) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	s.mu.Unlock()
	s.m.closing.Add(1)
	go func() {
		defer s.m.closing.Done()
		s.wg.Wait()
		s.playlist.End()
		ctx, cancel := context.WithTimeout(context.WithoutCancel(s.ctx), 5*time.Second)
		s.m.deps.Transcoder.EndStream(ctx, s.id)
		cancel()
		s.cancel()
		s.m.remove(s)
		s.logger.Info("stream ended", "played", s.played, "failed", s.failed, "dropped", s.dropped)
		close(s.done)
	}()
}

// abort cancels the segments in flight, then closes.
func (s *Stream) abort() {
	s.cancel()
	s.Close()
}
