package workers

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"time"
)

// Config tunes dispatch.
type Config struct {
	// MaxAttempts is how many workers one job may be tried on.
	MaxAttempts int `yaml:"max_attempts"`
}

// DefaultConfig returns the defaults.
func DefaultConfig() Config {
	// Three tries, as Livepeer's gateway makes per segment: one failure is
	// bad luck, three mean the job or the pool is the problem.
	return Config{MaxAttempts: 3}
}

// Validate names the first bad key.
func (c Config) Validate() error {
	if c.MaxAttempts < 1 || c.MaxAttempts > 10 {
		return fmt.Errorf("max_attempts must be 1..10, got %d", c.MaxAttempts)
	}
	return nil
}

// worker is a registered worker. Its fields other than slots and gone are
// guarded by the pool's mutex.
type worker struct {
	info     Info
	conn     Conn
	slots    chan struct{} // one token per running job
	gone     chan struct{} // closed when the worker is removed
	assigned int           // jobs waiting for or holding a slot
	ai       map[modelKey]*aiSlots
}

func (w *worker) load() float64 { return float64(w.assigned) / float64(w.info.Capacity) }

// Pool is the set of connected workers.
type Pool struct {
	cfg     Config
	logger  *slog.Logger
	metrics *Metrics

	mu      sync.Mutex
	workers map[string]*worker
	sticky  map[string]stick // stream id → its worker
	nextJob uint64
}

type stick struct {
	workerID string
	used     time.Time
}

// maxSticky bounds the stream → worker table; older entries are dropped first.
const maxSticky = 4096

// New makes an empty pool.
func New(cfg Config, logger *slog.Logger, m *Metrics) (*Pool, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &Pool{
		cfg: cfg, logger: logger.With("component", "workers"), metrics: m,
		workers: map[string]*worker{}, sticky: map[string]stick{},
	}, nil
}

// Add registers a worker and returns the function that removes it. Removing
// fails nothing by itself: the worker's Conn fails its own jobs with
// ErrWorkerGone, and the pool moves them.
func (p *Pool) Add(info Info, conn Conn) (remove func(), err error) {
	if info.Capacity < 1 {
		return nil, fmt.Errorf("worker %q: capacity must be at least 1", info.ID)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, ok := p.workers[info.ID]; ok {
		return nil, fmt.Errorf("%w: %q", ErrDuplicateWorker, info.ID)
	}
	w := &worker{info: info, conn: conn, slots: make(chan struct{}, info.Capacity), gone: make(chan struct{})}
	w.setAI(info.AI)
	p.workers[info.ID] = w
	p.metrics.workers.Set(float64(len(p.workers)))
	p.logger.Info("worker joined", "worker", info.ID, "capacity", info.Capacity, "encoders", len(info.Encoders),
		"ai_models", len(info.AI))
	var once sync.Once
	return func() { once.Do(func() { p.remove(w) }) }, nil
}

func (p *Pool) remove(w *worker) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.workers, w.info.ID)
	close(w.gone)
	for stream, s := range p.sticky {
		if s.workerID == w.info.ID {
			delete(p.sticky, stream)
		}
	}
	p.metrics.workers.Set(float64(len(p.workers)))
	p.logger.Info("worker left", "worker", w.info.ID, "jobs_assigned", w.assigned)
}

// Transcode runs job on a worker, moving it to another worker when one
// fails, up to MaxAttempts workers.
func (p *Pool) Transcode(ctx context.Context, job Job) (Result, error) {
	start := time.Now()
	p.mu.Lock()
	p.nextJob++
	job.ID = p.nextJob
	p.mu.Unlock()

	tried := map[string]bool{}
	var lastErr error
	for attempt := 1; attempt <= p.cfg.MaxAttempts; attempt++ {
		w, err := p.pick(job, tried)
		if err != nil {
			if lastErr == nil {
				lastErr = err
			}
			break
		}
		if attempt > 1 {
			p.metrics.retries.Inc()
		}
		res, err := p.run(ctx, w, job)
		if err == nil {
			p.finish("ok", start)
			p.stick(job.StreamID, w.info.ID)
			return res, nil
		}
		if IsInputError(err) || ctx.Err() != nil {
			p.finish(outcome(err), start)
			return Result{}, err
		}
		p.logger.Warn("job failed on worker, moving it", "stream", job.StreamID, "seq", job.Seq,
			"worker", w.info.ID, "attempt", attempt, "err", err)
		tried[w.info.ID] = true
		lastErr = err
	}
	p.finish("failed", start)
	if errors.Is(lastErr, ErrNoWorkers) && len(tried) == 0 {
		return Result{}, lastErr
	}
	return Result{}, &AttemptsError{Attempts: len(tried), Err: lastErr}
}

func outcome(err error) string {
	if IsInputError(err) {
		return "input_error"
	}
	return "failed"
}

func (p *Pool) finish(outcome string, start time.Time) {
	p.metrics.jobs.WithLabelValues(outcome).Inc()
	p.metrics.seconds.Observe(time.Since(start).Seconds())
}

// pick chooses the stream's worker if it is alive and untried, else the
// least loaded untried worker that can encode every profile, and counts the
// job against it.
func (p *Pool) pick(job Job, tried map[string]bool) (*worker, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if s, ok := p.sticky[job.StreamID]; ok && !tried[s.workerID] {
		if w, ok := p.workers[s.workerID]; ok && w.info.canEncode(job.Profiles) {
			w.assigned++
			return w, nil
		}
	}
	var candidates []*worker
	for id, w := range p.workers {
		if !tried[id] && w.info.canEncode(job.Profiles) {
			candidates = append(candidates, w)
		}
	}
	if len(candidates) == 0 {
		return nil, ErrNoWorkers
	}
	sort.Slice(candidates, func(i, j int) bool {
		if li, lj := candidates[i].load(), candidates[j].load(); li != lj {
			return li < lj
		}
		return candidates[i].info.ID < candidates[j].info.ID
	})
	candidates[0].assigned++
	return candidates[0], nil
}

// run waits for a slot on w and runs the job there.
func (p *Pool) run(ctx context.Context, w *worker, job Job) (Result, error) {
	defer func() {
		p.mu.Lock()
		w.assigned--
		p.mu.Unlock()
	}()
	select {
	case w.slots <- struct{}{}:
	case <-w.gone:
		return Result{}, ErrWorkerGone
	case <-ctx.Done():
		return Result{}, ctx.Err()
	}
	defer func() { <-w.slots }()
	p.metrics.inFlight.Inc()
	defer p.metrics.inFlight.Dec()
	res, err := w.conn.Transcode(ctx, job)
	res.WorkerID = w.info.ID
	return res, err
}

func (p *Pool) stick(streamID, workerID string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, alive := p.workers[workerID]; !alive {
		return
	}
	p.sticky[streamID] = stick{workerID: workerID, used: time.Now()}
	if len(p.sticky) > maxSticky {
		p.dropOldestStickyLocked()
	}
}

func (p *Pool) dropOldestStickyLocked() {
	oldest, when := "", time.Now()
	for stream, s := range p.sticky {
		if s.used.Before(when) {
			oldest, when = stream, s.used
		}
	}
	delete(p.sticky, oldest)
}

// Forget drops a stream's worker assignment when its session ends.
func (p *Pool) Forget(streamID string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.sticky, streamID)
}

// Load returns the pool's size and business.
func (p *Pool) Load() Load {
	p.mu.Lock()
	defer p.mu.Unlock()
	var l Load
	for _, w := range p.workers {
		l.Workers++
		l.InFlight += min(w.assigned, w.info.Capacity)
		l.Capacity += w.info.Capacity
	}
	return l
}

// Encoders returns every encoder some connected worker offers, one per
// (codec, name), sorted.
func (p *Pool) Encoders() []Encoder {
	p.mu.Lock()
	defer p.mu.Unlock()
	seen := map[Encoder]bool{}
	var out []Encoder
	for _, w := range p.workers {
		for _, e := range w.info.Encoders {
			if !seen[e] {
				seen[e] = true
				out = append(out, e)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Codec != out[j].Codec {
			return out[i].Codec < out[j].Codec
		}
		return out[i].Name < out[j].Name
	})
	return out
}

// WorkerStatus is one worker in the operator's status page.
type WorkerStatus struct {
	ID       string `json:"id"`
	Capacity int    `json:"capacity"`
	Assigned int    `json:"assigned"`
}

// Status lists the workers, sorted by id.
func (p *Pool) Status() []WorkerStatus {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]WorkerStatus, 0, len(p.workers))
	for _, w := range p.workers {
		out = append(out, WorkerStatus{ID: w.info.ID, Capacity: w.info.Capacity, Assigned: w.assigned})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}
