package workers

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/castmesh/castmesh/pkg/media"
	"github.com/castmesh/castmesh/test/fixture"
)

// fakeConn runs jobs with a func and counts concurrency.
type fakeConn struct {
	run     func(ctx context.Context, job Job) (Result, error)
	ai      func(ctx context.Context, job AIJob, out AIOutput) (time.Duration, error)
	running atomic.Int32
	peak    atomic.Int32
	jobs    atomic.Int32
}

func (f *fakeConn) Transcode(ctx context.Context, job Job) (Result, error) {
	n := f.running.Add(1)
	defer f.running.Add(-1)
	for {
		p := f.peak.Load()
		if n <= p || f.peak.CompareAndSwap(p, n) {
			break
		}
	}
	f.jobs.Add(1)
	return f.run(ctx, job)
}

func (f *fakeConn) AI(ctx context.Context, job AIJob, out AIOutput) (time.Duration, error) {
	if f.ai == nil {
		return 0, &JobError{Message: "no AI here"}
	}
	f.running.Add(1)
	defer f.running.Add(-1)
	f.jobs.Add(1)
	return f.ai(ctx, job, out)
}

func ok(_ context.Context, job Job) (Result, error) {
	return Result{Renditions: make([]media.Rendition, len(job.Profiles))}, nil
}

func newPool(t *testing.T) (*Pool, *Metrics) {
	t.Helper()
	m := NewMetrics(prometheus.NewRegistry())
	p, err := New(DefaultConfig(), slog.New(slog.DiscardHandler), m)
	if err != nil {
		t.Fatal(err)
	}
	return p, m
}

var h264Only = []Encoder{{Codec: media.H264, Name: "libx264"}}

func add(t *testing.T, p *Pool, id string, capacity int, conn Conn, enc []Encoder) func() {
	t.Helper()
	remove, err := p.Add(Info{ID: id, Capacity: capacity, Encoders: enc}, conn)
	if err != nil {
		t.Fatal(err)
	}
	return remove
}

func job(stream string) Job {
	return Job{StreamID: stream, Profiles: media.DefaultLadder(), Input: []byte{1}}
}

func TestStickyThenLeastLoaded(t *testing.T) {
	p, _ := newPool(t)
	a, b := &fakeConn{run: ok}, &fakeConn{run: ok}
	add(t, p, "a", 2, a, h264Only)
	add(t, p, "b", 2, b, h264Only)
	for range 5 {
		res, err := p.Transcode(t.Context(), job("s1"))
		if err != nil || res.WorkerID != "a" {
			t.Fatalf("s1 went to %q: %v", res.WorkerID, err)
		}
	}
	// a is idle again, so s2 ties and goes by id to a as well; make a busy first.
	release := make(chan struct{})
	a.run = func(ctx context.Context, j Job) (Result, error) { <-release; return ok(ctx, j) }
	done := make(chan error, 1)
	go func() { _, err := p.Transcode(t.Context(), job("s1")); done <- err }()
	waitFor(t, func() bool { return a.running.Load() == 1 })
	res, err := p.Transcode(t.Context(), job("s2"))
	if err != nil || res.WorkerID != "b" {
		t.Fatalf("s2 went to %q while a was busy: %v", res.WorkerID, err)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestWorkerDiesMidJob(t *testing.T) {
	p, m := newPool(t)
	started := make(chan struct{})
	var removeA func()
	a := &fakeConn{}
	a.run = func(ctx context.Context, _ Job) (Result, error) {
		close(started)
		<-ctx.Done() // never finishes on its own: only its death ends it
		return Result{}, ctx.Err()
	}
	dying := &dyingConn{fakeConn: a, died: make(chan struct{})}
	removeA = add(t, p, "a", 1, dying, h264Only)
	b := &fakeConn{run: ok}
	add(t, p, "b", 1, b, h264Only)

	go func() {
		<-started
		removeA()
		close(dying.died)
	}()
	res, err := p.Transcode(t.Context(), job("s1"))
	if err != nil || res.WorkerID != "b" || len(res.Renditions) != 3 {
		t.Fatalf("result %+v err %v", res, err)
	}
	if got := testutil.ToFloat64(m.retries); got != 1 {
		t.Fatalf("retries %v", got)
	}
	if l := p.Load(); l.Workers != 1 {
		t.Fatalf("dead worker kept: %+v", l)
	}
}

// dyingConn fails its job with ErrWorkerGone when died closes, as the rpc
// adapter does when a worker's stream breaks.
type dyingConn struct {
	*fakeConn
	died chan struct{}
}

func (d *dyingConn) Transcode(ctx context.Context, job Job) (Result, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		select {
		case <-d.died:
			cancel()
		case <-ctx.Done():
		}
	}()
	_, err := d.fakeConn.Transcode(ctx, job)
	select {
	case <-d.died:
		return Result{}, ErrWorkerGone
	default:
		return Result{}, err
	}
}

func TestErrors(t *testing.T) {
	inputErr := &JobError{Input: true, Message: "not a video"}
	tests := []struct {
		name     string
		setup    func(p *Pool) *fakeConn
		profiles []media.Profile
		check    func(error) bool
		jobs     int32
	}{
		{"no workers", func(*Pool) *fakeConn { return nil }, nil, isErr(ErrNoWorkers), 0},
		{"input error is not retried", func(p *Pool) *fakeConn {
			c := &fakeConn{run: func(context.Context, Job) (Result, error) { return Result{}, inputErr }}
			add(t, p, "a", 1, c, h264Only)
			add(t, p, "b", 1, &fakeConn{run: ok}, h264Only)
			return c
		}, nil, IsInputError, 1},
		{"worker errors retried up to the limit", func(p *Pool) *fakeConn {
			c := &fakeConn{run: func(context.Context, Job) (Result, error) { return Result{}, &JobError{Message: "gpu fell over"} }}
			for i := range 4 {
				add(t, p, fmt.Sprint(i), 1, c, h264Only)
			}
			return c
		}, nil, func(err error) bool { var ae *AttemptsError; return errors.As(err, &ae) && ae.Attempts == 3 }, 3},
		{"no worker has the codec", func(p *Pool) *fakeConn {
			c := &fakeConn{run: ok}
			add(t, p, "a", 1, c, h264Only)
			return c
		}, []media.Profile{{Name: "av1", Width: 640, Height: 360, Bitrate: 5e5, Codec: media.AV1}}, isErr(ErrNoWorkers), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, _ := newPool(t)
			c := tt.setup(p)
			j := job("s")
			if tt.profiles != nil {
				j.Profiles = tt.profiles
			}
			_, err := p.Transcode(t.Context(), j)
			if !tt.check(err) {
				t.Fatalf("got %v", err)
			}
			if c != nil && c.jobs.Load() != tt.jobs {
				t.Fatalf("jobs run %d, want %d", c.jobs.Load(), tt.jobs)
			}
		})
	}
}

func isErr(target error) func(error) bool {
	return func(err error) bool { return errors.Is(err, target) }
}

func TestCapacityIsNeverExceeded(t *testing.T) {
	p, _ := newPool(t)
	c := &fakeConn{run: func(ctx context.Context, j Job) (Result, error) {
		select {
		case <-time.After(time.Millisecond):
		case <-ctx.Done():
		}
		return ok(ctx, j)
	}}
	add(t, p, "a", 2, c, h264Only)
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			if _, err := p.Transcode(t.Context(), job(fmt.Sprint(i))); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if c.peak.Load() > 2 || c.jobs.Load() != 20 {
		t.Fatalf("peak %d jobs %d", c.peak.Load(), c.jobs.Load())
	}
	if l := p.Load(); l.InFlight != 0 || l.Capacity != 2 {
		t.Fatalf("load after: %+v", l)
	}
}

func TestCancelWhileQueued(t *testing.T) {
	p, _ := newPool(t)
	block := make(chan struct{})
	defer close(block)
	c := &fakeConn{run: func(ctx context.Context, j Job) (Result, error) { <-block; return ok(ctx, j) }}
	add(t, p, "a", 1, c, h264Only)
	go func() { _, _ = p.Transcode(t.Context(), job("s")) }()
	waitFor(t, func() bool { return c.running.Load() == 1 })
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := p.Transcode(ctx, job("s")); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v", err)
	}
}

func TestDuplicateWorker(t *testing.T) {
	p, _ := newPool(t)
	add(t, p, "a", 1, &fakeConn{run: ok}, h264Only)
	if _, err := p.Add(Info{ID: "a", Capacity: 1}, &fakeConn{run: ok}); !errors.Is(err, ErrDuplicateWorker) {
		t.Fatalf("got %v", err)
	}
}

func waitFor(t *testing.T, cond func() bool) { t.Helper(); fixture.Eventually(t, 5*time.Second, cond) }
