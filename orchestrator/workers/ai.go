package workers

import (
	"context"
	"errors"
	"sort"
	"time"
)

// AIModel is one pipeline and model a worker serves.
type AIModel struct {
	Pipeline string
	ModelID  string
	// Warm is true when the model is loaded and answers without a cold start.
	Warm bool
	// Capacity is the requests the worker runs on it at once; 0 while its
	// runner is unhealthy.
	Capacity int
}

type modelKey struct{ pipeline, model string }

// aiSlots is a worker's state for one model, guarded by the pool's mutex.
type aiSlots struct {
	warm     bool
	capacity int
	inUse    int
}

// AIJob is one AI request to run.
type AIJob struct {
	// ID is set by the pool.
	ID          uint64
	RequestID   string
	Pipeline    string
	ModelID     string
	ContentType string
	Body        []byte
}

// AIOutput takes part of an AI job's answer; contentType is set with the
// first part.
type AIOutput func(contentType string, data []byte) error

// AIResult is a finished AI job.
type AIResult struct {
	Elapsed  time.Duration
	WorkerID string
}

// AIStatus is one model as the orchestrator offers it: summed over workers.
type AIStatus struct {
	Pipeline string `json:"pipeline"`
	ModelID  string `json:"model_id"`
	Warm     bool   `json:"warm"`
	Capacity int    `json:"capacity"`
	InUse    int    `json:"in_use"`
}

// RunAI runs job on a worker serving its model with a free slot, warm ones
// first, and moves it to another when a worker fails before any of the
// answer was passed on. It never queues: with every slot taken it returns
// ErrModelBusy at once, so the gateway can try another orchestrator.
func (p *Pool) RunAI(ctx context.Context, job AIJob, out AIOutput) (AIResult, error) {
	start := time.Now()
	p.mu.Lock()
	p.nextJob++
	job.ID = p.nextJob
	p.mu.Unlock()
	key := modelKey{job.Pipeline, job.ModelID}
	tried := map[string]bool{}
	var lastErr error
	for attempt := 1; attempt <= p.cfg.MaxAttempts; attempt++ {
		w, err := p.pickAI(key, tried)
		if err != nil {
			if lastErr == nil || errors.Is(err, ErrModelBusy) {
				lastErr = err
			}
			break
		}
		if attempt > 1 {
			p.metrics.retries.Inc()
		}
		sent := false
		elapsed, err := p.runAI(ctx, w, key, job, func(ct string, data []byte) error {
			sent = true
			return out(ct, data)
		})
		if err == nil {
			p.finish("ok", start)
			return AIResult{Elapsed: elapsed, WorkerID: w.info.ID}, nil
		}
		if sent || IsInputError(err) || ctx.Err() != nil {
			p.finish(outcome(err), start)
			return AIResult{}, err
		}
		p.logger.Warn("AI job failed on worker, moving it", "request", job.RequestID, "pipeline", job.Pipeline,
			"model", job.ModelID, "worker", w.info.ID, "attempt", attempt, "err", err)
		tried[w.info.ID] = true
		lastErr = err
	}
	p.finish("failed", start)
	if len(tried) == 0 || errors.Is(lastErr, ErrModelBusy) {
		return AIResult{}, lastErr
	}
	return AIResult{}, &AttemptsError{Attempts: len(tried), Err: lastErr}
}

// pickAI takes a slot on the best untried worker serving key: warm before
// cold, then the least loaded.
func (p *Pool) pickAI(key modelKey, tried map[string]bool) (*worker, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	var cands []*worker
	served := false
	for id, w := range p.workers {
		s := w.ai[key]
		if s == nil || s.capacity == 0 || tried[id] {
			continue
		}
		served = true
		if s.inUse < s.capacity {
			cands = append(cands, w)
		}
	}
	if len(cands) == 0 {
		if served {
			return nil, ErrModelBusy
		}
		return nil, ErrNoModel
	}
	sort.Slice(cands, func(i, j int) bool {
		si, sj := cands[i].ai[key], cands[j].ai[key]
		if si.warm != sj.warm {
			return si.warm
		}
		li, lj := float64(si.inUse)/float64(si.capacity), float64(sj.inUse)/float64(sj.capacity)
		if li != lj {
			return li < lj
		}
		return cands[i].info.ID < cands[j].info.ID
	})
	cands[0].ai[key].inUse++
	return cands[0], nil
}

func (p *Pool) runAI(ctx context.Context, w *worker, key modelKey, job AIJob, out AIOutput) (time.Duration, error) {
	defer func() {
		p.mu.Lock()
		if s := w.ai[key]; s != nil {
			s.inUse--
		}
		p.mu.Unlock()
	}()
	p.metrics.inFlight.Inc()
	defer p.metrics.inFlight.Dec()
	return w.conn.AI(ctx, job, out)
}

// UpdateAI replaces what a worker says of its AI models (its heartbeat
// carries them), keeping the slots in use.
func (p *Pool) UpdateAI(workerID string, models []AIModel) {
	p.mu.Lock()
	defer p.mu.Unlock()
	w, ok := p.workers[workerID]
	if !ok {
		return
	}
	w.setAI(models)
}

// setAI applies models; the caller holds the pool's mutex.
func (w *worker) setAI(models []AIModel) {
	next := make(map[modelKey]*aiSlots, len(models))
	for _, m := range models {
		k := modelKey{m.Pipeline, m.ModelID}
		s := &aiSlots{warm: m.Warm, capacity: max(0, m.Capacity)}
		if old := w.ai[k]; old != nil {
			s.inUse = old.inUse
		}
		next[k] = s
	}
	// A model the worker dropped keeps its running jobs' slots until they end.
	for k, old := range w.ai {
		if _, ok := next[k]; !ok && old.inUse > 0 {
			next[k] = &aiSlots{inUse: old.inUse}
		}
	}
	w.ai = next
}

// AIModels sums every worker's models: warm if any worker has it warm,
// capacity and slots in use added up; sorted by pipeline, then model.
func (p *Pool) AIModels() []AIStatus {
	p.mu.Lock()
	defer p.mu.Unlock()
	sum := map[modelKey]*AIStatus{}
	for _, w := range p.workers {
		for k, s := range w.ai {
			if s.capacity == 0 && s.inUse == 0 {
				continue
			}
			st := sum[k]
			if st == nil {
				st = &AIStatus{Pipeline: k.pipeline, ModelID: k.model}
				sum[k] = st
			}
			st.Warm = st.Warm || (s.warm && s.capacity > 0)
			st.Capacity += s.capacity
			st.InUse += s.inUse
		}
	}
	out := make([]AIStatus, 0, len(sum))
	for _, st := range sum {
		out = append(out, *st)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Pipeline != out[j].Pipeline {
			return out[i].Pipeline < out[j].Pipeline
		}
		return out[i].ModelID < out[j].ModelID
	})
	return out
}
