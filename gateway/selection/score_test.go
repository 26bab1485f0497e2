package selection

import (
	"context"
	"errors"
	"log/slog"
	"math/big"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/castmesh/castmesh/gateway/orchclient"
	"github.com/castmesh/castmesh/payments/ticket"
	"github.com/castmesh/castmesh/pkg/media"
	"github.com/castmesh/castmesh/test/fixture"
)

// takes makes a fake's transcodes take d of the fake clock.
func takes(c *fixture.Clock, d time.Duration) func(int) error {
	return func(int) error { c.Advance(d); return nil }
}

// send2s sends a 2 s segment.
func send2s(t *testing.T, s *Selector, stream string, seq int64) error {
	t.Helper()
	_, err := s.Transcode(t.Context(), stream, media.Segment{Seq: seq, Duration: 2 * time.Second}, media.DefaultLadder())
	return err
}

func withClock(s *Selector) *fixture.Clock {
	c := fixture.NewClock(time.Unix(1_700_000_000, 0))
	s.now = c.Now
	return c
}

func TestSlowOrchestratorLosesTheStream(t *testing.T) {
	slow, fast := idle("a-slow"), idle("b-fast")
	s, m := newTest(t, slow, fast)
	c := withClock(s)
	slow.transcode = takes(c, 1600*time.Millisecond) // latency score 0.8
	fast.transcode = takes(c, 400*time.Millisecond)  // 0.2
	for i := range 10 {
		if err := send2s(t, s, "s", int64(i)); err != nil {
			t.Fatal(err)
		}
	}
	// The stream starts on the first by address, measures it past
	// GoodLatency, moves once to the fast one and stays.
	if slow.calls.Load() != 1 || fast.calls.Load() != 9 || testutil.ToFloat64(m.swaps) != 1 {
		t.Fatalf("slow %d fast %d swaps %v", slow.calls.Load(), fast.calls.Load(), testutil.ToFloat64(m.swaps))
	}
}

func TestGoodOrchestratorKeepsTheStream(t *testing.T) {
	good, better := idle("a-good"), idle("b-better")
	s, m := newTest(t, good, better)
	c := withClock(s)
	good.transcode = takes(c, 800*time.Millisecond) // 0.4: good enough
	better.transcode = takes(c, 200*time.Millisecond)
	if err := send2s(t, s, "s", 0); err != nil {
		t.Fatal(err)
	}
	// Other streams have measured the better one at 0.1.
	for _, v := range s.dir.snapshot() {
		if v.e.o.Addr() == better.addr {
			v.e.stats.observe(true, 200*time.Millisecond, 2*time.Second)
		}
	}
	for i := 1; i < 8; i++ {
		if err := send2s(t, s, "s", int64(i)); err != nil {
			t.Fatal(err)
		}
	}
	if good.calls.Load() != 8 || testutil.ToFloat64(m.swaps) != 0 {
		t.Fatalf("a good orchestrator lost the stream: good %d better %d swaps %v",
			good.calls.Load(), better.calls.Load(), testutil.ToFloat64(m.swaps))
	}
}

func TestCheapButFailingIsSuspended(t *testing.T) {
	data := segment(t)
	payer := &fakePayer{}
	cheap := &paidOrch{fakeOrch: idle("a-cheap"), price: big.NewRat(1, 1), segment: data}
	cheap.transcode = func(int) error { return orchclient.ErrFailed }
	pricey := &paidOrch{fakeOrch: idle("b-pricey"), price: big.NewRat(3, 1), segment: data}
	s := paidSelector(t, payer, nil, cheap, pricey)
	c := withClock(s)
	seg := media.Segment{Data: data, Duration: 2 * time.Second}
	if _, err := s.Transcode(t.Context(), "s1", seg, media.DefaultLadder()); err != nil {
		t.Fatal(err)
	}
	if cheap.calls.Load() != 1 || pricey.calls.Load() != 1 {
		t.Fatalf("cheap %d pricey %d: the cheap one first, then the segment elsewhere", cheap.calls.Load(), pricey.calls.Load())
	}
	// Its failure counts against it gateway-wide: a new stream pays more
	// rather than try it again.
	if _, err := s.Transcode(t.Context(), "s2", seg, media.DefaultLadder()); err != nil || cheap.calls.Load() != 1 {
		t.Fatalf("s2: %v, cheap tried %d times", err, cheap.calls.Load())
	}
	// The suspension grows with each failure in a row: 10 s, 20 s, 40 s.
	st := s.stream("s1")
	now := c.Now()
	for i, want := range []time.Duration{20 * time.Second, 40 * time.Second, 80 * time.Second} {
		if until := st.suspend(cheap.addr, now, s.cfg.SuspendFor, s.cfg.SuspendMax); until.Sub(now) != want {
			t.Errorf("failure %d: suspended %s, want %s", i+2, until.Sub(now), want)
		}
	}
	for range 10 {
		st.suspend(cheap.addr, now, s.cfg.SuspendFor, s.cfg.SuspendMax)
	}
	if until := st.suspend(cheap.addr, now, s.cfg.SuspendFor, s.cfg.SuspendMax); until.Sub(now) != s.cfg.SuspendMax {
		t.Errorf("suspension grew to %s, past the %s cap", until.Sub(now), s.cfg.SuspendMax)
	}
	st.succeeded(cheap.addr)
	if until := st.suspend(cheap.addr, now, s.cfg.SuspendFor, s.cfg.SuspendMax); until.Sub(now) != s.cfg.SuspendFor {
		t.Errorf("after a success the suspension starts at %s", until.Sub(now))
	}
}

func TestOrchestratorAtCapacityIsNeverPicked(t *testing.T) {
	full, free := idle("a-full"), idle("b-free")
	full.load.Sessions = full.load.MaxSessions
	s, _ := newTest(t, full, free)
	for i := range 5 {
		if err := send2s(t, s, string(rune('p'+i)), 1); err != nil {
			t.Fatal(err)
		}
	}
	if full.calls.Load() != 0 || free.calls.Load() != 5 {
		t.Fatalf("full %d free %d", full.calls.Load(), free.calls.Load())
	}
	// Full since the directory last looked: its fresh terms say so.
	free.load.Sessions = free.load.MaxSessions
	if err := send2s(t, s, "late", 1); !errors.Is(err, ErrNoOrchestrator) || full.calls.Load()+free.calls.Load() != 5 {
		t.Fatalf("with all full: %v", err)
	}
}

func TestPriceAboveMaxIsNeverPaid(t *testing.T) {
	data := segment(t)
	payer := &fakePayer{}
	dear := &paidOrch{fakeOrch: idle("a-dear"), price: big.NewRat(10, 1), segment: data}
	rising := &paidOrch{fakeOrch: idle("b-rising"), price: big.NewRat(2, 1), segment: data}
	s := paidSelector(t, payer, big.NewRat(5, 1), dear, rising)
	seg := media.Segment{Data: data, Duration: 2 * time.Second}
	if _, err := s.Transcode(t.Context(), "s1", seg, media.DefaultLadder()); err != nil {
		t.Fatal(err)
	}
	// The price rises past the maximum after the directory looked; the
	// fresh terms of a new session catch it.
	rising.price = big.NewRat(6, 1)
	if _, err := s.Transcode(t.Context(), "s2", seg, media.DefaultLadder()); !errors.Is(err, ErrNoOrchestrator) {
		t.Fatalf("s2 was served above the maximum price: %v", err)
	}
	for _, r := range payer.requests {
		if r.Price.Cmp(big.NewRat(5, 1)) > 0 {
			t.Errorf("paid %s per pixel, above the maximum of 5", r.Price.RatString())
		}
	}
	if dear.calls.Load() != 0 || len(payer.requests) != 1 {
		t.Fatalf("dear called %d times, %d payments", dear.calls.Load(), len(payer.requests))
	}
}

func TestTriesShareTheSegmentDeadline(t *testing.T) {
	var mu sync.Mutex
	var deadlines []time.Time
	hang := func(o *fakeOrch) *deadlineOrch {
		return &deadlineOrch{fakeOrch: o, record: func(d time.Time) {
			mu.Lock()
			deadlines = append(deadlines, d)
			mu.Unlock()
		}}
	}
	a, b, c := hang(idle("a")), hang(idle("b")), hang(idle("c"))
	cands := []orchestrator{a, b, c}
	nodes, dial := fakeNet(cands)
	cfg := logicConfig()
	// Each try alone could take the whole segment's time.
	cfg.AttemptTimeout = cfg.SegmentTimeout
	s := newSelector(cfg, "gw", Payments{}, nodes, dial, slog.New(slog.DiscardHandler), NewMetrics(prometheus.NewRegistry()))
	start := time.Now()
	if err := send2s(t, s, "s", 1); !errors.Is(err, ErrNoOrchestrator) {
		t.Fatalf("got %v", err)
	}
	if len(deadlines) != 3 {
		t.Fatalf("%d tries, want 3 on different orchestrators", len(deadlines))
	}
	// Every try ends by the segment's one deadline, though each alone
	// was allowed as long as the whole segment.
	for _, d := range deadlines {
		if !d.Equal(deadlines[0]) || d.Sub(start) > cfg.SegmentTimeout+time.Second {
			t.Errorf("a try's deadline is %s after the segment began, the first's %s", d.Sub(start), deadlines[0].Sub(start))
		}
	}
}

// deadlineOrch fails every transcode at once, recording its deadline.
type deadlineOrch struct {
	*fakeOrch
	record func(time.Time)
}

func (d *deadlineOrch) Transcode(ctx context.Context, _ orchclient.Token, _ string, _ media.Segment, _ []media.Profile, _ *ticket.Payment) (orchclient.Result, error) {
	dl, _ := ctx.Deadline()
	d.record(dl)
	return orchclient.Result{}, orchclient.ErrUnavailable
}
