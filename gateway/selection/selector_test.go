package selection

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/castmesh/castmesh/gateway/orchclient"
	"github.com/castmesh/castmesh/payments/ticket"
	"github.com/castmesh/castmesh/pkg/discovery"
	"github.com/castmesh/castmesh/pkg/media"
)

// fakeOrch is an orchestrator with programmable answers.
type fakeOrch struct {
	addr      string
	signer    common.Address
	load      orchclient.Load
	codecs    map[media.VideoCodec]bool
	infoErr   error
	transcode func(n int) error // n counts this orchestrator's calls from 1
	calls     atomic.Int32
	infos     atomic.Int32
	ended     atomic.Int32
	mu        sync.Mutex
	sessions  []string
}

func (f *fakeOrch) Addr() string { return f.addr }

func (f *fakeOrch) GetInfo(_ context.Context, _, sessionID string, _ common.Address) (orchclient.Info, error) {
	f.infos.Add(1)
	if f.infoErr != nil {
		return orchclient.Info{}, f.infoErr
	}
	if sessionID == "" {
		sessionID = fmt.Sprintf("%s-s%d", f.addr, f.infos.Load())
	}
	f.mu.Lock()
	f.sessions = append(f.sessions, sessionID)
	f.mu.Unlock()
	codecs := f.codecs
	if codecs == nil {
		codecs = map[media.VideoCodec]bool{media.H264: false}
	}
	return orchclient.Info{
		Address: f.addr, Codecs: codecs, Load: f.load, Signer: f.signer,
		Token: orchclient.Token{SessionID: sessionID, Expiration: time.Now().Add(time.Hour)},
	}, nil
}

func (f *fakeOrch) Transcode(_ context.Context, tok orchclient.Token, _ string, _ media.Segment, profiles []media.Profile, _ *ticket.Payment) (orchclient.Result, error) {
	n := int(f.calls.Add(1))
	if f.transcode != nil {
		if err := f.transcode(n); err != nil {
			return orchclient.Result{}, err
		}
	}
	return orchclient.Result{Renditions: make([]media.Rendition, len(profiles)), Info: orchclient.Info{Token: tok}}, nil
}

func (f *fakeOrch) EndSession(context.Context, orchclient.Token) error { f.ended.Add(1); return nil }
func (f *fakeOrch) Close() error                                       { return nil }

func idle(addr string) *fakeOrch {
	return &fakeOrch{addr: addr, load: orchclient.Load{MaxSessions: 10, Workers: 1, JobCapacity: 2}}
}

func newTest(t *testing.T, orchs ...*fakeOrch) (*Selector, *Metrics) {
	t.Helper()
	m := NewMetrics(prometheus.NewRegistry())
	cands := make([]orchestrator, len(orchs))
	for i, o := range orchs {
		cands[i] = o
	}
	nodes, dial := fakeNet(cands)
	return newSelector(logicConfig(), "gw", Payments{}, nodes, dial, slog.New(slog.DiscardHandler), m), m
}

// logicConfig is the default config without rendition verification, for
// tests of choosing and paying whose fakes return no real media; the
// tests in verify_test.go check verification.
func logicConfig() Config {
	cfg := DefaultConfig()
	cfg.Verify = false
	return cfg
}

// fakeNet is discovery finding the fakes, and dialing them.
func fakeNet(orchs []orchestrator) (func() []discovery.Node, func(discovery.Node) (orchestrator, error)) {
	nodes := func() []discovery.Node {
		var ns []discovery.Node
		for _, o := range orchs {
			ns = append(ns, discovery.Node{Addr: o.Addr()})
		}
		return ns
	}
	dial := func(n discovery.Node) (orchestrator, error) {
		for _, o := range orchs {
			if o.Addr() == n.Addr {
				return o, nil
			}
		}
		return nil, fmt.Errorf("no fake at %s", n.Addr)
	}
	return nodes, dial
}

func send(t *testing.T, s *Selector, stream string) error {
	t.Helper()
	_, err := s.Transcode(t.Context(), stream, media.Segment{Seq: 1}, media.DefaultLadder())
	return err
}

func TestPicksLeastLoadedAndSticks(t *testing.T) {
	busy, free := idle("a"), idle("b")
	busy.load.JobsInFlight = 2
	s, _ := newTest(t, busy, free)
	for range 3 {
		if err := send(t, s, "s1"); err != nil {
			t.Fatal(err)
		}
	}
	if free.calls.Load() != 3 || busy.calls.Load() != 0 {
		t.Fatalf("calls a=%d b=%d", busy.calls.Load(), free.calls.Load())
	}
	// Once by the directory, once to open the stream's session.
	if free.infos.Load() != 2 {
		t.Fatalf("asked for info %d times; a sticky stream asks once", free.infos.Load())
	}
}

func TestCapacitySumsAnsweredOrchestrators(t *testing.T) {
	a, b, gone := idle("a"), idle("b"), idle("c")
	b.load.JobCapacity = 5
	gone.infoErr = errors.New("down")
	s, _ := newTest(t, a, b, gone)
	s.Refresh(t.Context())
	if got := s.Capacity(); got != 7 {
		t.Fatalf("capacity %d, want 2 + 5 (c did not answer)", got)
	}
}

func TestFiltersCandidates(t *testing.T) {
	full, noWorkers, noCodec, down := idle("full"), idle("noworkers"), idle("nocodec"), idle("down")
	full.load.Sessions = 10
	noWorkers.load.Workers = 0
	noCodec.codecs = map[media.VideoCodec]bool{media.AV1: false}
	down.infoErr = orchclient.ErrUnavailable
	s, _ := newTest(t, full, noWorkers, noCodec, down)
	if err := send(t, s, "s"); !errors.Is(err, ErrNoOrchestrator) {
		t.Fatalf("got %v", err)
	}
	good := idle("zz")
	s, _ = newTest(t, full, noWorkers, noCodec, down, good)
	if err := send(t, s, "s"); err != nil || good.calls.Load() != 1 {
		t.Fatalf("err %v calls %d", err, good.calls.Load())
	}
}

func TestFailoverSuspendsPerStream(t *testing.T) {
	a, b := idle("a"), idle("b")
	a.transcode = func(int) error { return orchclient.ErrFailed }
	s, m := newTest(t, a, b)
	if err := send(t, s, "s1"); err != nil {
		t.Fatal(err)
	}
	if a.calls.Load() != 1 || b.calls.Load() != 1 || testutil.ToFloat64(m.retries) != 1 || testutil.ToFloat64(m.swaps) != 1 {
		t.Fatalf("a=%d b=%d retries=%v swaps=%v", a.calls.Load(), b.calls.Load(), testutil.ToFloat64(m.retries), testutil.ToFloat64(m.swaps))
	}
	// s1 stays away from a; another stream may still use it.
	if err := send(t, s, "s1"); err != nil || a.calls.Load() != 1 {
		t.Fatalf("s1 went back to a: %v", err)
	}
	// With b full for new streams, s2 still has a.
	a.transcode = nil
	b.load.Sessions = b.load.MaxSessions
	s.dir.refresh(t.Context())
	if err := send(t, s, "s2"); err != nil || a.calls.Load() != 2 {
		t.Fatalf("s2 avoided a: %v, a calls %d", err, a.calls.Load())
	}
}

func TestErrorsThatAreNotRetried(t *testing.T) {
	a, b := idle("a"), idle("b")
	a.transcode = func(int) error { return orchclient.ErrBadInput }
	s, _ := newTest(t, a, b)
	if err := send(t, s, "s"); !errors.Is(err, orchclient.ErrBadInput) || b.calls.Load() != 0 {
		t.Fatalf("err %v, b calls %d", err, b.calls.Load())
	}
	ctx, cancel := context.WithCancel(t.Context())
	a.transcode = func(int) error { cancel(); return context.Canceled }
	if _, err := s.Transcode(ctx, "s", media.Segment{}, media.DefaultLadder()); !errors.Is(err, context.Canceled) || b.calls.Load() != 0 {
		t.Fatalf("err %v, b calls %d", err, b.calls.Load())
	}
}

func TestAuthRefreshesToken(t *testing.T) {
	a := idle("a")
	a.transcode = func(n int) error {
		if n == 1 {
			return orchclient.ErrAuth
		}
		return nil
	}
	s, _ := newTest(t, a)
	if err := send(t, s, "s"); err != nil {
		t.Fatal(err)
	}
	if a.calls.Load() != 2 || a.infos.Load() != 3 {
		t.Fatalf("calls %d infos %d: want a retry with a refreshed token", a.calls.Load(), a.infos.Load())
	}
}

func TestGivesUpAfterMaxAttempts(t *testing.T) {
	var orchs []*fakeOrch
	for i := range 5 {
		o := idle(fmt.Sprint(i))
		o.transcode = func(int) error { return orchclient.ErrUnavailable }
		orchs = append(orchs, o)
	}
	s, _ := newTest(t, orchs...)
	err := send(t, s, "s")
	if !errors.Is(err, ErrNoOrchestrator) || !errors.Is(err, orchclient.ErrUnavailable) {
		t.Fatalf("got %v", err)
	}
	var total int32
	for _, o := range orchs {
		total += o.calls.Load()
	}
	if total != 3 {
		t.Fatalf("tried %d times, want 3", total)
	}
}

func TestEndStreamEndsSessions(t *testing.T) {
	a := idle("a")
	s, _ := newTest(t, a)
	if err := send(t, s, "s"); err != nil {
		t.Fatal(err)
	}
	s.EndStream(t.Context(), "s")
	if a.ended.Load() != 1 {
		t.Fatalf("ended %d", a.ended.Load())
	}
	s.EndStream(t.Context(), "unknown")
}

func TestConcurrentSegments(t *testing.T) {
	a, b := idle("a"), idle("b")
	s, _ := newTest(t, a, b)
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			if err := send(t, s, fmt.Sprint("s", i%4)); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if a.calls.Load()+b.calls.Load() != 20 {
		t.Fatalf("calls %d+%d", a.calls.Load(), b.calls.Load())
	}
}

// TestStaleTermsAreRefreshed: the directory last saw an orchestrator with
// no workers; a segment that finds nowhere to go asks again before it
// gives up, and succeeds once the workers have joined.
func TestStaleTermsAreRefreshed(t *testing.T) {
	a := idle("a")
	a.load.Workers = 0
	s, _ := newTest(t, a)
	s.dir.refresh(t.Context())
	a.load.Workers = 1
	if err := send(t, s, "s"); err != nil {
		t.Fatalf("a segment failed on stale terms: %v", err)
	}
}
