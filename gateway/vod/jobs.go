package vod

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/castmesh/castmesh/pkg/httpjson"
	"github.com/castmesh/castmesh/pkg/media"
	"github.com/castmesh/castmesh/pkg/netguard"
)

// Job states, in order; the last three end a job.
const (
	jobQueued    = "queued"
	jobProbing   = "probing"
	jobEncoding  = "encoding"
	jobMuxing    = "muxing"
	jobCompleted = "completed"
	jobFailed    = "failed"
	jobCanceled  = "canceled"
)

func terminal(status string) bool {
	return status == jobCompleted || status == jobFailed || status == jobCanceled
}

func jobStates() []string {
	return []string{jobQueued, jobProbing, jobEncoding, jobMuxing, jobCompleted, jobFailed, jobCanceled}
}

// JobRequest is what a caller asks for.
type JobRequest struct {
	Source     JobSource      `json:"source"`
	Profile    string         `json:"profile"`
	Output     OutputOptions  `json:"output"`
	WebhookIDs []string       `json:"webhook_ids"`
	Metadata   map[string]any `json:"metadata"`
}

// JobSource is an upload or an http(s) URL the gateway fetches.
type JobSource struct {
	Type     string `json:"type"`
	UploadID string `json:"upload_id,omitempty"`
	URL      string `json:"url,omitempty"`
}

// OutputOptions shape the result.
type OutputOptions struct {
	// Container is mp4 (default), mkv or hls (an ABR ladder).
	Container string `json:"container"`
	// TargetHeight downscales (never up), keeping the aspect ratio.
	TargetHeight int `json:"target_height,omitempty"`
	// BitDepth is 8 (default) or 10.
	BitDepth int `json:"bit_depth,omitempty"`
	// Audio keeps the source's audio (default true).
	Audio *bool `json:"audio,omitempty"`
	// Codec overrides auto's choice of codec.
	Codec string `json:"codec,omitempty"`
}

func (o OutputOptions) audio() bool { return o.Audio == nil || *o.Audio }

const maxMetadata = 16 << 10

// validate checks a request as far as it can be checked without I/O.
func (req *JobRequest) validate() error {
	switch req.Source.Type {
	case "upload":
		if req.Source.UploadID == "" || req.Source.URL != "" {
			return invalid("source: an upload source names upload_id and no url")
		}
	case "url":
		if req.Source.URL == "" || req.Source.UploadID != "" {
			return invalid("source: a url source names url and no upload_id")
		}
	default:
		return invalid("source.type must be upload or url, not %q", req.Source.Type)
	}
	if req.Profile == "" {
		req.Profile = profileAuto
	}
	if req.Profile != profileAuto {
		if _, _, ok := parseProfile(req.Profile); !ok {
			return errorf(http.StatusBadRequest, codeUnknownProfile, "unknown profile %q; known: %s", req.Profile, strings.Join(ProfileNames(), ", "))
		}
	}
	o := &req.Output
	if o.Container == "" {
		o.Container = "mp4"
	}
	switch {
	case !slices.Contains([]string{"mp4", "mkv", "hls"}, o.Container):
		return invalid("output.container must be mp4, mkv or hls, not %q", o.Container)
	case o.TargetHeight != 0 && (o.TargetHeight < 144 || o.TargetHeight > 4320):
		return invalid("output.target_height must be from 144 to 4320")
	case o.BitDepth != 0 && o.BitDepth != 8 && o.BitDepth != 10:
		return invalid("output.bit_depth must be 8 or 10")
	case o.Codec != "" && !media.VideoCodec(o.Codec).Valid():
		return invalid("output.codec must be h264, hevc, vp9 or av1")
	case o.Codec != "" && req.Profile != profileAuto:
		return invalid("output.codec is for the auto profile; a named profile has its codec")
	}
	if req.Metadata == nil {
		req.Metadata = map[string]any{}
	}
	if b, _ := json.Marshal(req.Metadata); len(b) > maxMetadata {
		return invalid("metadata exceeds %d bytes", maxMetadata)
	}
	if req.WebhookIDs == nil {
		req.WebhookIDs = []string{}
	}
	return nil
}

// Progress is how far a job is.
type Progress struct {
	Phase        string   `json:"phase"`
	Percent      float64  `json:"percent"`
	PhasePercent *float64 `json:"phase_percent"`
	FPS          *float64 `json:"fps"`
	ETASeconds   *int     `json:"eta_seconds"`
	FramesDone   int64    `json:"frames_done"`
	FramesTotal  int64    `json:"frames_total"`
}

// OutputInfo is the result file's facts.
type OutputInfo struct {
	Bytes           int64   `json:"bytes"`
	SHA256          string  `json:"sha256"`
	DurationSeconds float64 `json:"duration_seconds"`
	Width           int     `json:"width"`
	Height          int     `json:"height"`
	VideoCodec      string  `json:"video_codec"`
	AudioCodec      string  `json:"audio_codec,omitempty"`
	Frames          int64   `json:"frames"`
	Renditions      int     `json:"renditions"`
}

// Result is what a completed job made, and how it compares.
type Result struct {
	// FinalArtifact is "output", or "original" when no smaller output
	// kept the quality and the source is the answer.
	FinalArtifact    string     `json:"final_artifact"`
	EffectiveProfile string     `json:"effective_profile"`
	Output           OutputInfo `json:"output"`
	ReductionPercent float64    `json:"reduction_pct"`
	CompressionRatio float64    `json:"compression_ratio"`
	SSIM             float64    `json:"ssim"`
	PSNR             float64    `json:"psnr"`
	// Passes is how many encodes ran (auto may run more than one).
	Passes int `json:"passes"`
	// BilledPixels are the output pixels the orchestrators made (width ×
	// height × frames of every rendition of every pass), what they are paid for.
	BilledPixels int64 `json:"billed_pixels"`
	// AmountPaidWei is what those pixels cost at the orchestrators'
	// prices, in wei ("0" with payments off), as the tickets' expected
	// value covers it.
	AmountPaidWei string `json:"amount_paid_wei"`
}

// job is one row of vod_jobs.
type job struct {
	ID, Owner, Status, Profile      string
	Req                             JobRequest
	Source                          *SourceInfo
	Progress                        Progress
	Result                          *Result
	Error                           string
	Attempt                         int
	Cancel                          bool
	CreatedAt, StartedAt, Completed time.Time
}

// jobResponse is a job as the API shows it.
type jobResponse struct {
	ID          string         `json:"id"`
	Status      string         `json:"status"`
	Profile     string         `json:"profile"`
	Source      jobSourceJSON  `json:"source"`
	Output      OutputOptions  `json:"output"`
	Progress    Progress       `json:"progress"`
	Result      *Result        `json:"result"`
	Error       *string        `json:"error"`
	Attempt     int            `json:"attempt"`
	Retryable   bool           `json:"retryable"`
	WebhookIDs  []string       `json:"webhook_ids"`
	Metadata    map[string]any `json:"metadata"`
	CreatedAt   time.Time      `json:"created_at"`
	StartedAt   *time.Time     `json:"started_at"`
	CompletedAt *time.Time     `json:"completed_at"`
	OutputURL   *string        `json:"output_url"`
}

type jobSourceJSON struct {
	JobSource
	Info *SourceInfo `json:"info"`
}

// maxAttempts is how many times a job runs before it fails for good.
const maxAttempts = 3

func (j job) response() jobResponse {
	out := jobResponse{
		ID: j.ID, Status: j.Status, Profile: j.Profile, Source: jobSourceJSON{j.Req.Source, j.Source},
		Output: j.Req.Output, Progress: j.Progress, Result: j.Result, Attempt: j.Attempt,
		Retryable: !terminal(j.Status) && j.Attempt < maxAttempts, WebhookIDs: j.Req.WebhookIDs, Metadata: j.Req.Metadata,
		CreatedAt: j.CreatedAt.UTC(),
	}
	if j.Error != "" {
		out.Error = &j.Error
	}
	if !j.StartedAt.IsZero() {
		t := j.StartedAt.UTC()
		out.StartedAt = &t
	}
	if !j.Completed.IsZero() {
		t := j.Completed.UTC()
		out.CompletedAt = &t
	}
	if j.Status == jobCompleted {
		u := "/v1/jobs/" + j.ID + "/output"
		out.OutputURL = &u
	}
	return out
}

func (a *API) createJob(w http.ResponseWriter, r *http.Request, c caller) error {
	var req JobRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	if err := req.validate(); err != nil {
		return err
	}
	j := job{ID: newID("job_"), Owner: c.owner, Status: jobQueued, Profile: req.Profile, Req: req, CreatedAt: a.now()}
	switch req.Source.Type {
	case "upload":
		u, err := a.loadUpload(r.Context(), c, req.Source.UploadID)
		if err != nil {
			return err
		}
		if u.Status != uploadCompleted {
			return errorf(http.StatusConflict, codeUploadState, "upload %s is %s, not completed", u.ID, u.Status)
		}
		if err := supported(*u.Source); err != nil {
			return err
		}
		j.Source = u.Source
	case "url":
		if err := a.checkURL(r.Context(), req.Source.URL, "source.url", codeSourceURL); err != nil {
			return err
		}
	}
	for _, id := range req.WebhookIDs {
		if err := a.webhookExists(r.Context(), c, id); err != nil {
			return err
		}
	}
	j.Progress = Progress{Phase: jobQueued}
	if err := a.quota.admit(r.Context(), c.owner, j.CreatedAt, func(ctx context.Context) error { return a.insertJob(ctx, j) }); err != nil {
		return err
	}
	a.wake()
	httpjson.Write(w, http.StatusCreated, j.response())
	return nil
}

// supported refuses sources the network cannot cut into segments:
// castmesh's workers take H.264 and HEVC.
func supported(s SourceInfo) error {
	if s.VideoCodec != "h264" && s.VideoCodec != "hevc" {
		return errorf(http.StatusUnprocessableEntity, codeSourceUnsupported,
			"the source's video is %s; castmesh transcodes H.264 and HEVC sources", s.VideoCodec)
	}
	return nil
}

// checkURL refuses a URL (the field named field) that is not http(s), or
// that points at a loopback, private or link-local address unless
// vod.allow_private_urls; the error has code.
func (a *API) checkURL(ctx context.Context, raw, field, code string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return errorf(http.StatusBadRequest, code, "%s must be an http(s) URL without credentials", field)
	}
	if a.cfg.AllowPrivateURLs {
		return nil
	}
	ips, err := net.DefaultResolver.LookupIPAddr(ctx, u.Hostname())
	if err != nil {
		return errorf(http.StatusBadRequest, code, "%s: cannot resolve %s", field, u.Hostname())
	}
	for _, ip := range ips {
		if !netguard.PublicIP(ip.IP) {
			return errorf(http.StatusBadRequest, code, "%s points at %s, a private address", field, ip.IP)
		}
	}
	return nil
}

func (a *API) getJob(w http.ResponseWriter, r *http.Request, c caller) error {
	j, err := a.loadJob(r.Context(), c.owner, r.PathValue("id"))
	if err != nil {
		return err
	}
	httpjson.Write(w, http.StatusOK, j.response())
	return nil
}

// cancelJob asks a job to stop. A queued job ends at once; a running one
// ends when its runner sees the flag, within a segment.
func (a *API) cancelJob(w http.ResponseWriter, r *http.Request, c caller) error {
	j, err := a.loadJob(r.Context(), c.owner, r.PathValue("id"))
	if err != nil {
		return err
	}
	if terminal(j.Status) {
		return errorf(http.StatusConflict, codeNotCancelable, "job %s is already %s", j.ID, j.Status)
	}
	if _, err := a.db.ExecContext(r.Context(), a.db.Q(`UPDATE vod_jobs SET cancel = 1 WHERE id = ?`), j.ID); err != nil {
		return err
	}
	if j.Status == jobQueued {
		if err := a.finish(r.Context(), j.ID, jobCanceled, "canceled by the caller", nil); err != nil {
			return err
		}
	}
	a.cancelRunning(j.ID)
	j, err = a.loadJob(r.Context(), c.owner, j.ID)
	if err != nil {
		return err
	}
	httpjson.Write(w, http.StatusOK, j.response())
	return nil
}

// listResponse is a page of jobs, newest first.
type listResponse struct {
	Jobs       []jobResponse `json:"jobs"`
	NextCursor *string       `json:"next_cursor"`
	HasMore    bool          `json:"has_more"`
}

// listJobs pages through the owner's jobs, newest first. The cursor is
// the last job's (created_at, id), opaque to callers.
func (a *API) listJobs(w http.ResponseWriter, r *http.Request, c caller) error {
	q := r.URL.Query()
	limit := 20
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 100 {
			return invalid("limit must be from 1 to 100")
		}
		limit = n
	}
	status := q.Get("status")
	if status != "" && !slices.Contains(jobStates(), status) {
		return invalid("status must be one of %s", strings.Join(jobStates(), ", "))
	}
	before, beforeID := int64(1<<62), "~"
	if cur := q.Get("cursor"); cur != "" {
		var err error
		if before, beforeID, err = parseCursor(cur); err != nil {
			return invalid("cursor is not one this API gave")
		}
	}
	query := `SELECT ` + jobColumns + ` FROM vod_jobs WHERE owner = ? AND (created_at < ? OR (created_at = ? AND id < ?))`
	args := []any{c.owner, before, before, beforeID}
	if status != "" {
		query += ` AND status = ?`
		args = append(args, status)
	}
	query += ` ORDER BY created_at DESC, id DESC LIMIT ?`
	args = append(args, limit+1)
	jobs, err := a.queryJobs(r.Context(), query, args...)
	if err != nil {
		return err
	}
	out := listResponse{Jobs: []jobResponse{}}
	if len(jobs) > limit {
		jobs, out.HasMore = jobs[:limit], true
		last := jobs[limit-1]
		cur := makeCursor(last.CreatedAt.UnixMilli(), last.ID)
		out.NextCursor = &cur
	}
	for _, j := range jobs {
		out.Jobs = append(out.Jobs, j.response())
	}
	httpjson.Write(w, http.StatusOK, out)
	return nil
}

func makeCursor(ms int64, id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(ms, 10) + "/" + id))
}

func parseCursor(s string) (int64, string, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return 0, "", err
	}
	ms, id, ok := strings.Cut(string(b), "/")
	n, err := strconv.ParseInt(ms, 10, 64)
	if !ok || err != nil || id == "" {
		return 0, "", errors.New("bad cursor")
	}
	return n, id, nil
}

// jobColumns are read by scanJob, in its order.
const jobColumns = `id, owner, status, profile, request, source, progress, result, error, attempt, cancel, created_at, started_at, completed_at`

func (a *API) insertJob(ctx context.Context, j job) error {
	req, _ := json.Marshal(j.Req)
	src := ""
	if j.Source != nil {
		b, _ := json.Marshal(j.Source)
		src = string(b)
	}
	prog, _ := json.Marshal(j.Progress)
	_, err := a.db.ExecContext(ctx, a.db.Q(`INSERT INTO vod_jobs (id, owner, status, profile, request, source, progress, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`), j.ID, j.Owner, j.Status, j.Profile, string(req), src, string(prog), j.CreatedAt.UnixMilli())
	return err
}

func (a *API) loadJob(ctx context.Context, owner, id string) (job, error) {
	jobs, err := a.queryJobs(ctx, `SELECT `+jobColumns+` FROM vod_jobs WHERE id = ? AND owner = ?`, id, owner)
	if err != nil {
		return job{}, err
	}
	if len(jobs) == 0 {
		return job{}, notFound("job", id)
	}
	return jobs[0], nil
}

// loadJobByID reads a job whoever owns it, for the runner.
func (a *API) loadJobByID(ctx context.Context, id string) (job, error) {
	jobs, err := a.queryJobs(ctx, `SELECT `+jobColumns+` FROM vod_jobs WHERE id = ?`, id)
	if err != nil {
		return job{}, err
	}
	if len(jobs) == 0 {
		return job{}, fmt.Errorf("job %s: %w", id, sql.ErrNoRows)
	}
	return jobs[0], nil
}

func (a *API) queryJobs(ctx context.Context, query string, args ...any) ([]job, error) {
	rows, err := a.db.QueryContext(ctx, a.db.Q(query), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []job
	for rows.Next() {
		j, err := scanJob(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, j)
	}
	return out, rows.Err()
}

func scanJob(rows *sql.Rows) (job, error) {
	var j job
	var req, src, prog, res string
	var cancel int
	var created, started, completed int64
	if err := rows.Scan(&j.ID, &j.Owner, &j.Status, &j.Profile, &req, &src, &prog, &res, &j.Error, &j.Attempt, &cancel,
		&created, &started, &completed); err != nil {
		return job{}, err
	}
	j.Cancel = cancel != 0
	j.CreatedAt = time.UnixMilli(created)
	if started > 0 {
		j.StartedAt = time.UnixMilli(started)
	}
	if completed > 0 {
		j.Completed = time.UnixMilli(completed)
	}
	for _, f := range []struct {
		s string
		v any
	}{{req, &j.Req}, {prog, &j.Progress}} {
		if err := json.Unmarshal([]byte(f.s), f.v); err != nil {
			return job{}, fmt.Errorf("job %s: %w", j.ID, err)
		}
	}
	if src != "" {
		j.Source = &SourceInfo{}
		if err := json.Unmarshal([]byte(src), j.Source); err != nil {
			return job{}, fmt.Errorf("job %s: %w", j.ID, err)
		}
	}
	if res != "" {
		j.Result = &Result{}
		if err := json.Unmarshal([]byte(res), j.Result); err != nil {
			return job{}, fmt.Errorf("job %s: %w", j.ID, err)
		}
	}
	return j, nil
}

// finish ends a job: its state, the reason and, when completed, the result.
// A job that did not complete leaves no files.
func (a *API) finish(ctx context.Context, id, status, reason string, res *Result) error {
	if status != jobCompleted {
		_ = os.RemoveAll(a.files.job(id))
	}
	resJSON := ""
	if res != nil {
		b, _ := json.Marshal(res)
		resJSON = string(b)
	}
	// The progress keeps its frame counts and says how the job ended.
	var p Progress
	var was string
	if err := a.db.QueryRowContext(ctx, a.db.Q(`SELECT progress FROM vod_jobs WHERE id = ?`), id).Scan(&was); err == nil {
		_ = json.Unmarshal([]byte(was), &p)
	}
	p.Phase, p.PhasePercent, p.FPS, p.ETASeconds = status, nil, nil, nil
	if status == jobCompleted {
		p.Percent = 100
	}
	prog, _ := json.Marshal(p)
	done, err := a.db.ExecContext(context.WithoutCancel(ctx), a.db.Q(`UPDATE vod_jobs SET status = ?, error = ?, result = ?, progress = ?,
		completed_at = ?, lease_owner = '', lease_until = 0 WHERE id = ? AND status NOT IN ('completed', 'failed', 'canceled')`),
		status, reason, resJSON, string(prog), a.now().UnixMilli(), id)
	if err != nil {
		return err
	}
	if n, _ := done.RowsAffected(); n == 1 {
		a.metrics.jobs.WithLabelValues(status).Inc()
	}
	return nil
}
