package streams

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/castmesh/castmesh/gateway/auth"
	"github.com/castmesh/castmesh/gateway/ingest"
	"github.com/castmesh/castmesh/pkg/media"
	"github.com/castmesh/castmesh/test/fixture"
)

type fakeAuth struct{}

func (fakeAuth) Authorize(_ context.Context, req ingest.OpenRequest) (auth.Grant, error) {
	if req.Key == "bad" {
		return auth.Grant{}, ingest.ErrUnauthorized
	}
	return auth.Grant{PlaybackID: "pb-" + req.Key}, nil
}

type fakeTranscoder struct {
	run   func(ctx context.Context, seg media.Segment) error
	mu    sync.Mutex
	ended []string
}

func (f *fakeTranscoder) Transcode(ctx context.Context, _ string, seg media.Segment, profiles []media.Profile) ([]media.Rendition, error) {
	if f.run != nil {
		if err := f.run(ctx, seg); err != nil {
			return nil, err
		}
	}
	rs := make([]media.Rendition, len(profiles))
	for i, p := range profiles {
		rs[i] = media.Rendition{Profile: p, Width: p.Width / 2, Height: p.Height / 2, Data: []byte{1}}
	}
	return rs, nil
}

func (f *fakeTranscoder) EndStream(_ context.Context, id string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.ended = append(f.ended, id)
}

type fakePlaylist struct {
	mu      sync.Mutex
	added   []int64
	skipped []int64
	skipTo  []int64
	ended   bool
}

func (p *fakePlaylist) Add(seq int64, _ time.Duration, _ []media.Rendition) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.added = append(p.added, seq)
}

func (p *fakePlaylist) Skip(seq int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.skipped = append(p.skipped, seq)
}

func (p *fakePlaylist) SkipTo(seq int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.skipTo = append(p.skipTo, seq)
}

func (p *fakePlaylist) End() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.ended = true
}

func (p *fakePlaylist) snapshot() (added, skipped int, ended bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.added), len(p.skipped), p.ended
}

type harness struct {
	m         *Manager
	tr        *fakeTranscoder
	mu        sync.Mutex
	playlists map[string]*fakePlaylist
}

func newHarness(t *testing.T, cfg Config) *harness {
	t.Helper()
	h := &harness{tr: &fakeTranscoder{}, playlists: map[string]*fakePlaylist{}}
	m, err := New(cfg, Deps{
		Auth: fakeAuth{}, Transcoder: h.tr,
		OpenPlaylist: func(id string) (Playlist, error) {
			h.mu.Lock()
			defer h.mu.Unlock()
			p := &fakePlaylist{}
			h.playlists[id] = p
			return p, nil
		},
		PlaybackURL: func(id string) string { return "http://gw/hls/" + id + "/index.m3u8" },
	}, slog.New(slog.DiscardHandler), NewMetrics(prometheus.NewRegistry()))
	if err != nil {
		t.Fatal(err)
	}
	h.m = m
	return h
}

func (h *harness) playlist(id string) *fakePlaylist {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.playlists[id]
}

func open(t *testing.T, h *harness, key string, proto ingest.Protocol) ingest.Stream {
	t.Helper()
	st, err := h.m.Open(t.Context(), ingest.OpenRequest{Key: key, Protocol: proto})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func seg(seq int64) media.Segment {
	return media.Segment{Seq: seq, Duration: 2 * time.Second, Data: []byte{0x47}}
}

func TestLifecycle(t *testing.T) {
	h := newHarness(t, DefaultConfig())
	st := open(t, h, "k", ingest.RTMP)
	if st.PlaybackID() != "pb-k" || st.ID() == "k" || st.ID() == "" {
		t.Fatalf("ids %q %q", st.ID(), st.PlaybackID())
	}
	if !h.m.Live("pb-k") || h.m.Live("pb-other") {
		t.Fatal("Live does not tell the live playback id")
	}
	for i := range int64(5) {
		st.Push(seg(i))
	}
	st.Close()
	st.Close()
	<-st.Done()
	p := h.playlist("pb-k")
	if added, skipped, ended := p.snapshot(); added != 5 || skipped != 0 || !ended {
		t.Fatalf("added %d skipped %d ended %v", added, skipped, ended)
	}
	if len(h.tr.ended) != 1 || len(h.m.List()) != 0 || h.m.Live("pb-k") {
		t.Fatalf("sessions ended %v, streams listed %d", h.tr.ended, len(h.m.List()))
	}
	if _, err := st.Transcode(t.Context(), seg(9)); !errors.Is(err, ingest.ErrStreamEnded) {
		t.Fatalf("after close: %v", err)
	}
}

func TestOpenRefusals(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MaxStreams = 2
	h := newHarness(t, cfg)
	if _, err := h.m.Open(t.Context(), ingest.OpenRequest{Key: "bad", Protocol: ingest.RTMP}); !errors.Is(err, ingest.ErrUnauthorized) {
		t.Fatalf("bad key: %v", err)
	}
	if h.playlist("pb-bad") != nil {
		t.Fatal("a refused stream created a playlist")
	}
	a := open(t, h, "a", ingest.RTMP)
	if _, err := h.m.Open(t.Context(), ingest.OpenRequest{Key: "a", Protocol: ingest.RTMP}); !errors.Is(err, ingest.ErrKeyInUse) {
		t.Fatalf("second publisher: %v", err)
	}
	p1 := open(t, h, "p", ingest.HTTPPush)
	if p2 := open(t, h, "p", ingest.HTTPPush); p2 != p1 {
		t.Fatal("a push with a live key must continue its stream")
	}
	if _, err := h.m.Open(t.Context(), ingest.OpenRequest{Key: "c", Protocol: ingest.RTMP}); !errors.Is(err, ingest.ErrTooManyStreams) {
		t.Fatalf("full: %v", err)
	}
	// A publisher reconnecting while its old stream closes gets a new one.
	a.Close()
	b := open(t, h, "a", ingest.RTMP)
	if b == a {
		t.Fatal("reconnect reused a closed stream")
	}
}

func TestFailuresAndBacklog(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MaxInFlight, cfg.MaxQueued = 1, 1
	h := newHarness(t, cfg)
	release := make(chan struct{})
	h.tr.run = func(ctx context.Context, s media.Segment) error {
		if s.Seq == 0 {
			<-release
		}
		if s.Seq == 1 {
			return errors.New("every orchestrator failed")
		}
		return nil
	}
	st := open(t, h, "k", ingest.RTMP)
	st.Push(seg(0)) // runs, blocked
	st.Push(seg(1)) // queued
	st.Push(seg(2)) // over the backlog: dropped
	p := h.playlist("pb-k")
	fixture.Eventually(t, 5*time.Second, func() bool { _, skipped, _ := p.snapshot(); return skipped == 1 })
	close(release)
	fixture.Eventually(t, 5*time.Second, func() bool {
		added, skipped, _ := p.snapshot()
		st.(*Stream).mu.Lock()
		defer st.(*Stream).mu.Unlock()
		return added == 1 && skipped == 2 && st.(*Stream).queued == 0
	})
	if _, err := st.Transcode(t.Context(), seg(3)); err != nil {
		t.Fatal(err)
	}
	st.Close()
	<-st.Done()
	added, skipped, _ := p.snapshot()
	if added != 2 || skipped != 2 {
		t.Fatalf("added %d skipped %d; want 0 and 3 played, 1 failed, 2 dropped", added, skipped)
	}
	if info := h.m.List(); len(info) != 0 {
		t.Fatalf("listed %d", len(info))
	}
}

func TestTranscodeErrors(t *testing.T) {
	h := newHarness(t, DefaultConfig())
	h.tr.run = func(_ context.Context, s media.Segment) error {
		if s.Seq == 0 {
			return media.ErrInvalidInput
		}
		return errors.New("down")
	}
	st := open(t, h, "k", ingest.HTTPPush)
	if _, err := st.Transcode(t.Context(), seg(0)); !media.IsInputError(err) {
		t.Fatalf("input error: %v", err)
	}
	if _, err := st.Transcode(t.Context(), seg(1)); !errors.Is(err, ingest.ErrNoOrchestrator) {
		t.Fatalf("network error: %v", err)
	}
}

func TestPushIdleAndShutdown(t *testing.T) {
	cfg := DefaultConfig()
	cfg.PushIdleTimeout = time.Second
	h := newHarness(t, cfg)
	var mu sync.Mutex
	now := time.Now()
	h.m.now = func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- h.m.Run(ctx) }()

	push := open(t, h, "p", ingest.HTTPPush)
	rtmp := open(t, h, "r", ingest.RTMP)
	mu.Lock()
	now = now.Add(2 * time.Second)
	mu.Unlock()
	<-push.Done() // idle push stream ended by Run
	select {
	case <-rtmp.Done():
		t.Fatal("an RTMP stream must not idle out")
	default:
	}
	started, aborted := make(chan struct{}), make(chan struct{})
	h.tr.run = func(ctx context.Context, _ media.Segment) error {
		close(started)
		<-ctx.Done()
		close(aborted)
		return ctx.Err()
	}
	rtmp.Push(seg(0))
	<-started
	cancel() // shutdown aborts the segment in flight and ends the stream
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	<-aborted
	<-rtmp.Done()
}

func TestAPI(t *testing.T) {
	h := newHarness(t, DefaultConfig())
	st := open(t, h, "k", ingest.RTMP)
	if _, err := st.Transcode(t.Context(), seg(0)); err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	h.m.ServeHTTP(rec, httptest.NewRequestWithContext(t.Context(), http.MethodGet, "/api/streams", nil))
	var body struct{ Streams []Info }
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatal(err)
	}
	if len(body.Streams) != 1 {
		t.Fatalf("body %s", rec.Body.String())
	}
	s := body.Streams[0]
	if s.ID != st.ID() || s.PlaybackURL != "http://gw/hls/pb-k/index.m3u8" || s.Ingest != "rtmp" || s.Segments != 1 ||
		len(s.Renditions) != 3 || s.Renditions[0].Width != 640 || s.StartedAt.IsZero() {
		t.Fatalf("info %+v", s)
	}
	if got := rec.Body.String(); contains(got, `"k"`) {
		t.Fatalf("the stream key leaked: %s", got)
	}
	rec = httptest.NewRecorder()
	h.m.ServeHTTP(rec, httptest.NewRequestWithContext(t.Context(), http.MethodPost, "/api/streams", nil))
	if rec.Code != http.StatusMethodNotAllowed {
		t.Fatalf("POST: %d", rec.Code)
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
