package vod

import (
	"context"
	"database/sql"
	"math"
	"net/http"
	"sync"
	"time"

	"github.com/castmesh/castmesh/pkg/store"
)

// quota keeps each owner within vod.quota. The count and the insert run
// under one lock, so concurrent requests to this gateway cannot both pass
// the last free place; gateways sharing a store may each let one request
// through at the limit at once.
type quota struct {
	cfg QuotaConfig
	db  *store.DB

	mu sync.Mutex
}

// activeRetryAfter is the Retry-After of a refusal for too many active
// jobs: when one ends is not known, and a short job takes about this.
const activeRetryAfter = 30

// admit runs insert, the creation of one job of owner, when owner is
// within its quota at now; else it answers 429 quota_exceeded.
func (q *quota) admit(ctx context.Context, owner string, now time.Time, insert func(context.Context) error) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if err := q.check(ctx, owner, now); err != nil {
		return err
	}
	return insert(ctx)
}

// check answers 429 quota_exceeded when owner may not create a job now.
// The optimize route calls it before it reads a file it would refuse.
func (q *quota) check(ctx context.Context, owner string, now time.Time) error {
	if n := q.cfg.MaxActiveJobs; n > 0 {
		var active int
		err := q.db.QueryRowContext(ctx, q.db.Q(`SELECT COUNT(*) FROM vod_jobs
			WHERE owner = ? AND status IN ('queued', 'probing', 'encoding', 'muxing')`), owner).Scan(&active)
		if err != nil {
			return err
		}
		if active >= n {
			return overQuota(activeRetryAfter, "this owner has %d jobs queued or running, the most vod.quota.max_active_jobs allows; "+
				"retry when one ends", active)
		}
	}
	if n := q.cfg.MaxJobsPerWindow; n > 0 {
		since := now.Add(-q.cfg.Window).UnixMilli()
		var made int
		var oldest sql.NullInt64
		err := q.db.QueryRowContext(ctx, q.db.Q(`SELECT COUNT(*), MIN(created_at) FROM vod_jobs
			WHERE owner = ? AND created_at > ?`), owner, since).Scan(&made, &oldest)
		if err != nil {
			return err
		}
		if made >= n {
			// A place frees when the oldest job of the window leaves it.
			wait := time.UnixMilli(oldest.Int64).Add(q.cfg.Window).Sub(now)
			return overQuota(max(1, int(math.Ceil(wait.Seconds()))), "this owner created %d jobs in the last %s, "+
				"the most vod.quota.max_jobs_per_window allows", made, q.cfg.Window)
		}
	}
	return nil
}

// admitUpload runs insert, the creation of an upload of size bytes by
// owner, when owner is within vod.quota.max_upload_bytes_per_window.
func (q *quota) admitUpload(ctx context.Context, owner string, now time.Time, size int64, insert func(context.Context) error) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if err := q.checkUpload(ctx, owner, now, size); err != nil {
		return err
	}
	return insert(ctx)
}

// checkUpload answers 429 quota_exceeded when owner may not upload size
// more bytes now.
func (q *quota) checkUpload(ctx context.Context, owner string, now time.Time, size int64) error {
	limit := q.cfg.MaxUploadBytesPerWindow
	if limit == 0 {
		return nil
	}
	var used int64
	var oldest sql.NullInt64
	err := q.db.QueryRowContext(ctx, q.db.Q(`SELECT COALESCE(SUM(file_size), 0), MIN(created_at) FROM vod_uploads
		WHERE owner = ? AND created_at > ?`), owner, now.Add(-q.cfg.Window).UnixMilli()).Scan(&used, &oldest)
	if err != nil {
		return err
	}
	if used+size <= limit {
		return nil
	}
	wait := q.cfg.Window
	if oldest.Valid {
		wait = time.UnixMilli(oldest.Int64).Add(q.cfg.Window).Sub(now)
	}
	return overQuota(max(1, int(math.Ceil(wait.Seconds()))), "this owner uploaded %d bytes in the last %s; %d more exceed "+
		"vod.quota.max_upload_bytes_per_window (%d)", used, q.cfg.Window, size, limit)
}

func overQuota(retryAfter int, format string, args ...any) *Error {
	e := errorf(http.StatusTooManyRequests, codeQuotaExceeded, format, args...)
	e.Retryable, e.RetryAfter = true, retryAfter
	return e
}
