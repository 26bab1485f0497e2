package vod

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// The runner takes queued jobs from the store and runs them, at most
// jobs.concurrent at once. A job is held by a lease the runner renews; a
// job whose gateway died is taken up by any gateway once its lease lapses,
// and resumes where it was (the segments already encoded are kept). The
// renewal also notices a cancel made through another gateway.

// errCanceled ends a job its caller canceled.
var errCanceled = errors.New("canceled by the caller")

// errLeaseLost ends a job another gateway took over.
var errLeaseLost = errors.New("the job's lease was lost")

type runner struct {
	instance string
	wakeCh   chan struct{}

	mu      sync.Mutex
	running map[string]context.CancelCauseFunc
}

func newRunner() *runner {
	return &runner{instance: newID("gw_"), wakeCh: make(chan struct{}, 1), running: map[string]context.CancelCauseFunc{}}
}

// wake tells the runner a job may be waiting.
func (a *API) wake() {
	select {
	case a.runner.wakeCh <- struct{}{}:
	default:
	}
}

// cancelRunning stops a job this gateway runs.
func (a *API) cancelRunning(id string) {
	a.runner.mu.Lock()
	defer a.runner.mu.Unlock()
	if cancel, ok := a.runner.running[id]; ok {
		cancel(errCanceled)
	}
}

// runJobs claims and runs jobs until ctx ends, then waits for them.
func (a *API) runJobs(ctx context.Context) {
	var wg sync.WaitGroup
	defer wg.Wait()
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		for a.busy() < a.cfg.Jobs.Concurrent {
			j, ok, err := a.claimJob(ctx)
			if err != nil {
				if ctx.Err() == nil {
					a.logger.Warn("claiming a job", "err", err)
				}
				break
			}
			if !ok {
				break
			}
			jctx, cancel := context.WithCancelCause(ctx)
			a.runner.mu.Lock()
			a.runner.running[j.ID] = cancel
			a.metrics.jobsRunning.Set(float64(len(a.runner.running)))
			a.runner.mu.Unlock()
			wg.Go(func() {
				defer func() {
					a.runner.mu.Lock()
					delete(a.runner.running, j.ID)
					a.metrics.jobsRunning.Set(float64(len(a.runner.running)))
					a.runner.mu.Unlock()
					cancel(nil)
					a.wake()
				}()
				a.runJob(jctx, cancel, j)
			})
		}
		select {
		case <-ctx.Done():
			return
		case <-a.runner.wakeCh:
		case <-tick.C:
		}
	}
}

func (a *API) busy() int {
	a.runner.mu.Lock()
	defer a.runner.mu.Unlock()
	return len(a.runner.running)
}

// claimJob takes a job no live gateway holds, the owners in turn
// (fairOrder); within an owner, its oldest. A canceled job found so (its
// gateway died) is ended instead.
func (a *API) claimJob(ctx context.Context) (job, bool, error) {
	now := a.now().UnixMilli()
	owners, err := a.waitingOwners(ctx, now)
	if err != nil {
		return job{}, false, err
	}
	for _, w := range owners {
		if j, ok, err := a.claimFrom(ctx, w.owner, now); err != nil || ok {
			return j, ok, err
		}
	}
	return job{}, false, nil
}

// claimFrom takes owner's oldest job no live gateway holds, and records
// the owner's turn.
func (a *API) claimFrom(ctx context.Context, owner string, now int64) (job, bool, error) {
	rows, err := a.db.QueryContext(ctx, a.db.Q(`SELECT id, cancel FROM vod_jobs
		WHERE owner = ? AND status IN ('queued', 'probing', 'encoding', 'muxing') AND lease_until < ? ORDER BY created_at, id LIMIT 8`), owner, now)
	if err != nil {
		return job{}, false, err
	}
	type candidate struct {
		id     string
		cancel bool
	}
	var cands []candidate
	for rows.Next() {
		var c candidate
		var cancel int
		if err := rows.Scan(&c.id, &cancel); err != nil {
			rows.Close()
			return job{}, false, err
		}
		c.cancel = cancel != 0
		cands = append(cands, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return job{}, false, err
	}
	for _, c := range cands {
		if c.cancel {
			if err := a.finish(ctx, c.id, jobCanceled, errCanceled.Error(), nil); err != nil {
				return job{}, false, err
			}
			continue
		}
		res, err := a.db.ExecContext(ctx, a.db.Q(`UPDATE vod_jobs SET lease_owner = ?, lease_until = ?, attempt = attempt + 1,
			started_at = CASE WHEN started_at = 0 THEN ? ELSE started_at END WHERE id = ? AND lease_until < ?`),
			a.runner.instance, now+a.cfg.Jobs.Lease.Milliseconds(), now, c.id, now)
		if err != nil {
			return job{}, false, err
		}
		if n, _ := res.RowsAffected(); n == 1 {
			if err := a.takeTurn(ctx, owner, now); err != nil {
				return job{}, false, err
			}
			j, err := a.loadJobByID(ctx, c.id)
			return j, err == nil, err
		}
	}
	return job{}, false, nil
}

// runJob runs a claimed job under its lease and records how it ended.
func (a *API) runJob(ctx context.Context, cancel context.CancelCauseFunc, j job) {
	logger := a.logger.With("job", j.ID, "attempt", j.Attempt)
	if j.Attempt > maxAttempts {
		a.end(ctx, j, fmt.Errorf("gave up after %d attempts", maxAttempts), logger)
		return
	}
	go a.holdLease(ctx, cancel, j.ID)
	logger.Info("job started", "profile", j.Profile)
	a.end(ctx, j, a.execute(ctx, j, logger), logger)
}

// end records a job's outcome: completed, canceled, failed for good, or
// given back to be tried again.
func (a *API) end(ctx context.Context, j job, err error, logger *slog.Logger) {
	cause := context.Cause(ctx)
	var e *Error
	switch {
	case err == nil:
		return // execute finished it
	case errors.Is(cause, errLeaseLost):
		logger.Info("job taken over by another gateway")
		return
	case errors.Is(cause, errCanceled):
		err = errCanceled
		_ = a.finish(ctx, j.ID, jobCanceled, err.Error(), nil)
	case ctx.Err() != nil: // this gateway is stopping: another try resumes it
		a.release(ctx, j.ID)
		return
	case errors.As(err, &e) || j.Attempt >= maxAttempts:
		_ = a.finish(ctx, j.ID, jobFailed, err.Error(), nil)
	default:
		logger.Info("job failed; it will be tried again", "err", err)
		a.release(ctx, j.ID)
		return
	}
	logger.Info("job ended", "err", err)
	a.notify(context.WithoutCancel(ctx), j.ID)
}

// release gives a job's lease up so that it runs again soon.
func (a *API) release(ctx context.Context, id string) {
	_, err := a.db.ExecContext(context.WithoutCancel(ctx), a.db.Q(`UPDATE vod_jobs SET lease_owner = '', lease_until = 0
		WHERE id = ? AND lease_owner = ?`), id, a.runner.instance)
	if err != nil {
		a.logger.Warn("releasing a job", "job", id, "err", err)
	}
}

// holdLease renews a job's lease until ctx ends; it cancels the job when
// the lease is lost or the job was canceled through another gateway.
func (a *API) holdLease(ctx context.Context, cancel context.CancelCauseFunc, id string) {
	every := min(a.cfg.Jobs.Lease/3, time.Second)
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		res, err := a.db.ExecContext(ctx, a.db.Q(`UPDATE vod_jobs SET lease_until = ? WHERE id = ? AND lease_owner = ?`),
			a.now().Add(a.cfg.Jobs.Lease).UnixMilli(), id, a.runner.instance)
		if err != nil {
			continue // the store is away; the lease has time left
		}
		if n, _ := res.RowsAffected(); n == 0 {
			cancel(errLeaseLost)
			return
		}
		var flag int
		if err := a.db.QueryRowContext(ctx, a.db.Q(`SELECT cancel FROM vod_jobs WHERE id = ?`), id).Scan(&flag); err == nil && flag != 0 {
			cancel(errCanceled)
			return
		}
	}
}
