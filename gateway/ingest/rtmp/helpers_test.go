package rtmp_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/castmesh/castmesh/gateway/ingest"
	"github.com/castmesh/castmesh/gateway/ingest/rtmp"
	"github.com/castmesh/castmesh/pkg/media"
	"github.com/castmesh/castmesh/test/fixture"
)

// fakeOpener admits publishers through its func.
type fakeOpener struct {
	open func(ctx context.Context, req ingest.OpenRequest) (ingest.Stream, error)
}

func (o fakeOpener) Open(ctx context.Context, req ingest.OpenRequest) (ingest.Stream, error) {
	return o.open(ctx, req)
}

// fakeStream collects what the server pushes.
type fakeStream struct {
	id        string
	mu        sync.Mutex
	segs      []media.Segment
	closes    int
	done      chan struct{}
	closeOnce sync.Once
}

func newFakeStream(id string) *fakeStream { return &fakeStream{id: id, done: make(chan struct{})} }

func (s *fakeStream) ID() string         { return s.id }
func (s *fakeStream) PlaybackID() string { return s.id + "-play" }

func (s *fakeStream) Push(seg media.Segment) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.segs = append(s.segs, seg)
}

func (s *fakeStream) Transcode(context.Context, media.Segment) ([]media.Rendition, error) {
	return nil, errors.New("not in this test")
}

func (s *fakeStream) Close() {
	s.mu.Lock()
	s.closes++
	s.mu.Unlock()
	s.end()
}

// end ends the stream as the gateway would when it removes it.
func (s *fakeStream) end() { s.closeOnce.Do(func() { close(s.done) }) }

func (s *fakeStream) Done() <-chan struct{} { return s.done }

func (s *fakeStream) segments() []media.Segment {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]media.Segment(nil), s.segs...)
}

func (s *fakeStream) closeCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closes
}

// waitDone waits until the stream has ended.
func (s *fakeStream) waitDone(t testing.TB, timeout time.Duration) {
	t.Helper()
	select {
	case <-s.done:
	case <-time.After(timeout):
		t.Fatalf("stream %s not closed after %v (%d segments)", s.id, timeout, len(s.segments()))
	}
}

// streams is an Opener that admits keys starting with "good" and keeps the
// streams it made by key.
type streams struct {
	mu     sync.Mutex
	byKey  map[string]*fakeStream
	opened chan string
	refuse error
}

func newStreams() *streams {
	return &streams{byKey: map[string]*fakeStream{}, opened: make(chan string, 16)}
}

func (ss *streams) opener() fakeOpener {
	return fakeOpener{open: func(_ context.Context, req ingest.OpenRequest) (ingest.Stream, error) {
		if req.Protocol != ingest.RTMP || req.RemoteAddr == "" {
			return nil, fmt.Errorf("bad request %+v", req)
		}
		if !strings.HasPrefix(req.Key, "good") {
			return nil, ingest.ErrUnauthorized
		}
		ss.mu.Lock()
		defer ss.mu.Unlock()
		if ss.refuse != nil {
			return nil, ss.refuse
		}
		st := newFakeStream("st-" + req.Key)
		ss.byKey[req.Key] = st
		ss.opened <- req.Key
		return st, nil
	}}
}

func (ss *streams) get(key string) *fakeStream {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	return ss.byKey[key]
}

func (ss *streams) count() int {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	return len(ss.byKey)
}

// waitOpened waits until a stream with key has been opened.
func (ss *streams) waitOpened(t testing.TB, key string, timeout time.Duration) *fakeStream {
	t.Helper()
	deadline := time.After(timeout)
	for {
		if st := ss.get(key); st != nil {
			return st
		}
		select {
		case <-ss.opened:
		case <-deadline:
			t.Fatalf("stream %s not opened after %v", key, timeout)
		}
	}
}

// logBuffer collects JSON log lines.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// records returns the log records whose message is msg.
func (l *logBuffer) records(t testing.TB, msg string) []map[string]any {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []map[string]any
	for line := range strings.Lines(l.b.String()) {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		if rec["msg"] == msg {
			out = append(out, rec)
		}
	}
	return out
}

// testServer is a running Server and what it reports.
type testServer struct {
	srv     *rtmp.Server
	metrics *rtmp.Metrics
	logs    *logBuffer
	cancel  context.CancelFunc
	done    chan error
	stopped sync.Once
}

func startServer(t *testing.T, opener ingest.Opener, change func(*rtmp.Config)) *testServer {
	t.Helper()
	cfg := rtmp.DefaultConfig()
	cfg.Addr = "127.0.0.1:0"
	cfg.HandshakeTimeout = 2 * time.Second
	cfg.IdleTimeout = 5 * time.Second
	if change != nil {
		change(&cfg)
	}
	ts := &testServer{metrics: rtmp.NewMetrics(prometheus.NewRegistry()), logs: &logBuffer{}, done: make(chan error, 1)}
	logger := slog.New(slog.NewJSONHandler(ts.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	srv, err := rtmp.New(t.Context(), cfg, opener, logger, ts.metrics)
	if err != nil {
		t.Fatal(err)
	}
	ts.srv = srv
	ctx, cancel := context.WithCancel(t.Context())
	ts.cancel = cancel
	go func() { ts.done <- srv.Run(ctx) }()
	t.Cleanup(func() { ts.stop(t) })
	return ts
}

// stop cancels Run and waits for it to return.
func (ts *testServer) stop(t testing.TB) {
	t.Helper()
	ts.stopped.Do(func() {
		ts.cancel()
		select {
		case err := <-ts.done:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("Run did not return 10s after cancel")
		}
	})
}

func (ts *testServer) url(path string) string {
	return fmt.Sprintf("rtmp://%s/%s", ts.srv.Addr(), path)
}

func (ts *testServer) rejected(reason string) float64 {
	return testutil.ToFloat64(ts.metrics.Rejected.WithLabelValues(reason))
}

// waitConnections waits until the connection gauge reads n.
func (ts *testServer) waitConnections(t testing.TB, n float64) {
	t.Helper()
	fixture.Eventually(t, 10*time.Second, func() bool { return testutil.ToFloat64(ts.metrics.Connections) == n })
}

// publisher is a running external publishing process.
type publisher struct {
	cmd  *exec.Cmd
	out  bytes.Buffer
	done chan struct{} // closed once the process has exited
	err  error         // its exit error, set before done closes
}

// startPublisher runs name with args, killed after timeout at the latest.
func startPublisher(t *testing.T, timeout time.Duration, name string, args ...string) *publisher {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), timeout)
	p := &publisher{cmd: exec.CommandContext(ctx, name, args...), done: make(chan struct{})}
	p.cmd.Stdout, p.cmd.Stderr = &p.out, &p.out
	if err := p.cmd.Start(); err != nil {
		cancel()
		t.Fatal(err)
	}
	go func() {
		p.err = p.cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		cancel()
		<-p.done
	})
	return p
}

// wait returns the process's exit error.
func (p *publisher) wait(t testing.TB) error {
	t.Helper()
	<-p.done
	return p.err
}

// ffmpegPublish publishes input (ffmpeg input options and -i) to url.
func ffmpegPublish(t *testing.T, url string, args ...string) *publisher {
	t.Helper()
	all := append([]string{"-hide_banner", "-loglevel", "error", "-nostdin"}, args...)
	return startPublisher(t, time.Minute, "ffmpeg", append(all, "-f", "flv", url)...)
}
