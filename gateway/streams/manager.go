package streams

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"time"

	"github.com/castmesh/castmesh/gateway/ingest"
)

// reconnectWait is how long a publisher reconnecting with its key waits for
// its previous stream to finish closing.
const reconnectWait = 10 * time.Second

// Manager owns the gateway's live streams.
type Manager struct {
	cfg     Config
	deps    Deps
	logger  *slog.Logger
	metrics *Metrics
	now     func() time.Time

	mu      sync.Mutex
	byKey   map[string]*Stream
	closing sync.WaitGroup // streams between Close and done
}

// New makes a manager.
func New(cfg Config, deps Deps, logger *slog.Logger, m *Metrics) (*Manager, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if deps.Auth == nil || deps.Transcoder == nil || deps.OpenPlaylist == nil || deps.PlaybackURL == nil {
		return nil, errors.New("streams: every dependency must be set")
	}
	return &Manager{
		cfg: cfg, deps: deps, logger: logger.With("component", "streams"), metrics: m,
		now: time.Now, byKey: map[string]*Stream{},
	}, nil
}

var _ ingest.Opener = (*Manager)(nil)

// Open admits a publisher and returns its stream.
func (m *Manager) Open(ctx context.Context, req ingest.OpenRequest) (ingest.Stream, error) {
	st, err := m.open(ctx, req)
	if err != nil {
		m.metrics.refused.WithLabelValues(reason(err)).Inc()
		return nil, err
	}
	return st, nil
}

func reason(err error) string {
	switch {
	case errors.Is(err, ingest.ErrUnauthorized):
		return "unauthorized"
	case errors.Is(err, ingest.ErrTooManyStreams):
		return "full"
	case errors.Is(err, ingest.ErrKeyInUse):
		return "key_in_use"
	case errors.Is(err, ingest.ErrUnfunded):
		return "unfunded"
	}
	return "error"
}

func (m *Manager) open(ctx context.Context, req ingest.OpenRequest) (*Stream, error) {
	if prev := m.live(req.Key); prev != nil {
		if req.Protocol == ingest.HTTPPush && prev.protocol == ingest.HTTPPush && !prev.isClosed() {
			prev.touch()
			return prev, nil
		}
		if !prev.isClosed() {
			return nil, fmt.Errorf("%w: %s", ingest.ErrKeyInUse, prev.id)
		}
		if err := waitDone(ctx, prev); err != nil {
			return nil, err
		}
	}
	grant, err := m.deps.Auth.Authorize(ctx, req)
	if err != nil {
		return nil, err
	}
	if m.deps.Funded != nil {
		if err := m.deps.Funded(ctx); err != nil {
			return nil, fmt.Errorf("%w: %w", ingest.ErrUnfunded, err)
		}
	}
	profiles := grant.Profiles
	if profiles == nil {
		profiles = m.cfg.Profiles
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, taken := m.byKey[req.Key]; taken {
		return nil, fmt.Errorf("%w: lost a race with another publisher", ingest.ErrKeyInUse)
	}
	if len(m.byKey) >= m.cfg.MaxStreams {
		return nil, fmt.Errorf("%w: %d live", ingest.ErrTooManyStreams, len(m.byKey))
	}
	playlist, err := m.deps.OpenPlaylist(grant.PlaybackID)
	if err != nil {
		return nil, fmt.Errorf("playlists: %w", err)
	}
	st := newStream(ctx, m, req, newID(), grant.PlaybackID, profiles, playlist)
	m.byKey[req.Key] = st
	m.metrics.streams.WithLabelValues(string(req.Protocol)).Inc()
	m.metrics.opened.WithLabelValues(string(req.Protocol)).Inc()
	st.logger.Info("stream started", "remote", req.RemoteAddr, "renditions", len(profiles))
	return st, nil
}

func waitDone(ctx context.Context, st *Stream) error {
	t := time.NewTimer(reconnectWait)
	defer t.Stop()
	select {
	case <-st.Done():
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return fmt.Errorf("%w: the previous stream is still closing", ingest.ErrKeyInUse)
	}
}

func (m *Manager) live(key string) *Stream {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.byKey[key]
}

func (m *Manager) remove(st *Stream) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.byKey[st.key] == st {
		delete(m.byKey, st.key)
		m.metrics.streams.WithLabelValues(string(st.protocol)).Dec()
	}
}

func newID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b) // crypto/rand never fails on Linux
	return "st_" + hex.EncodeToString(b)
}

// Run ends idle HTTP push streams until ctx ends, then closes every stream
// and waits for them to finish.
func (m *Manager) Run(ctx context.Context) error {
	t := time.NewTicker(m.cfg.PushIdleTimeout / 4)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			for _, st := range m.all() {
				st.abort() //nolint:contextcheck // a stream's context outlives Run's on purpose
			}
			m.closing.Wait()
			return nil
		case <-t.C:
			for _, st := range m.all() {
				if st.protocol == ingest.HTTPPush && m.now().Sub(st.lastPush()) > m.cfg.PushIdleTimeout {
					st.logger.Info("push stream idle; ending it")
					st.Close() //nolint:contextcheck // a stream's context outlives Run's on purpose
				}
			}
		}
	}
}

func (m *Manager) all() []*Stream {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]*Stream, 0, len(m.byKey))
	for _, st := range m.byKey {
		out = append(out, st)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].started.Before(out[j].started) })
	return out
}

// Live reports whether a stream with playbackID is live here. It is cheap
// enough for every HLS request.
func (m *Manager) Live(playbackID string) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, st := range m.byKey {
		if st.playbackID == playbackID {
			return true
		}
	}
	return false
}
