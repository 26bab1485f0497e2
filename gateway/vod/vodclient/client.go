// Package vodclient is a Go client of the gateway's file API: resumable
// uploads in parts, jobs, waiting with progress, downloads. `castmesh vod
// submit` is built on it.
package vodclient

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/castmesh/castmesh/pkg/atomicfile"
)

// Client talks to one gateway.
type Client struct {
	// Base is the gateway's URL, e.g. http://127.0.0.1:8935.
	Base string
	// Key is the Bearer API key; empty for an open API.
	Key  string
	HTTP *http.Client
	// StateDir keeps what an interrupted upload needs to resume; empty
	// means no resuming.
	StateDir string
	// ChunkSize asks for parts of this many bytes (1 to 64 MiB); 0 lets
	// the gateway choose.
	ChunkSize int64
}

// APIError is an error answer of the API.
type APIError struct {
	Status    int
	Code      string `json:"code"`
	Message   string `json:"message"`
	Retryable bool   `json:"retryable"`
	RequestID string `json:"request_id"`
}

func (e *APIError) Error() string {
	return fmt.Sprintf("%d %s: %s (request %s)", e.Status, e.Code, e.Message, e.RequestID)
}

// Upload is an upload's state.
type Upload struct {
	ID             string `json:"id"`
	Status         string `json:"status"`
	FileSize       int64  `json:"file_size"`
	ChunkSize      int64  `json:"chunk_size"`
	TotalChunks    int    `json:"total_chunks"`
	ReceivedChunks []int  `json:"received_chunks"`
}

// Job is what the client reads of a job.
type Job struct {
	ID       string `json:"id"`
	Status   string `json:"status"`
	Error    *string
	Progress struct {
		Phase      string   `json:"phase"`
		Percent    float64  `json:"percent"`
		FPS        *float64 `json:"fps"`
		ETASeconds *int     `json:"eta_seconds"`
	} `json:"progress"`
	Result *struct {
		FinalArtifact    string  `json:"final_artifact"`
		EffectiveProfile string  `json:"effective_profile"`
		ReductionPct     float64 `json:"reduction_pct"`
		CompressionRatio float64 `json:"compression_ratio"`
		SSIM             float64 `json:"ssim"`
		PSNR             float64 `json:"psnr"`
		Output           struct {
			Bytes int64 `json:"bytes"`
		} `json:"output"`
	} `json:"result"`
	OutputURL *string `json:"output_url"`
}

// Ended reports whether the job is completed, failed or canceled.
func (j Job) Ended() bool {
	return j.Status == "completed" || j.Status == "failed" || j.Status == "canceled"
}

func (c *Client) do(ctx context.Context, method, path string, body io.Reader, contentType string, out any, header ...string) error {
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimRight(c.Base, "/")+path, body)
	if err != nil {
		return err
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if c.Key != "" {
		req.Header.Set("Authorization", "Bearer "+c.Key)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode >= 300 {
		var env struct{ Error APIError }
		if json.Unmarshal(b, &env) != nil || env.Error.Code == "" {
			return &APIError{Status: resp.StatusCode, Code: "http_error", Message: strings.TrimSpace(string(b))}
		}
		env.Error.Status = resp.StatusCode
		return &env.Error
	}
	if out != nil {
		return json.Unmarshal(b, out)
	}
	return nil
}

// state is what resuming an upload needs, kept per file.
type state struct {
	UploadID string `json:"upload_id"`
	Size     int64  `json:"size"`
	ModTime  int64  `json:"mod_time"`
}

func (c *Client) statePath(abs string) string {
	sum := sha256.Sum256([]byte(abs))
	return filepath.Join(c.StateDir, hex.EncodeToString(sum[:8])+".json")
}

// Upload sends a file in parts and completes it, resuming an upload of
// the same unchanged file that an earlier run left open. progress gets
// the bytes the gateway holds after each part.
func (c *Client) Upload(ctx context.Context, path string, progress func(done, total int64)) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	f, err := os.Open(abs)
	if err != nil {
		return "", err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return "", err
	}
	u, err := c.resume(ctx, abs, st)
	if err != nil {
		return "", err
	}
	if u.Status == "completed" {
		progress(st.Size(), st.Size())
		return u.ID, nil
	}
	have := map[int]bool{}
	for _, n := range u.ReceivedChunks {
		have[n] = true
	}
	done := int64(0)
	partSize := func(n int) int64 { return min(u.ChunkSize, u.FileSize-int64(n)*u.ChunkSize) }
	for n := range u.TotalChunks {
		if have[n] {
			done += partSize(n)
		}
	}
	progress(done, u.FileSize)
	for n := range u.TotalChunks {
		if have[n] {
			continue
		}
		if err := c.putPart(ctx, u, f, n, partSize(n)); err != nil {
			return "", fmt.Errorf("part %d (run again to resume): %w", n, err)
		}
		done += partSize(n)
		progress(done, u.FileSize)
	}
	if err := c.do(ctx, http.MethodPost, "/v1/uploads/"+u.ID+"/complete", nil, "", &u, "Idempotency-Key", u.ID+":complete"); err != nil {
		return "", err
	}
	if c.StateDir != "" {
		_ = os.Remove(c.statePath(abs))
	}
	return u.ID, nil
}

// resume finds the open upload of this file, or starts one.
func (c *Client) resume(ctx context.Context, abs string, st os.FileInfo) (Upload, error) {
	var u Upload
	if c.StateDir != "" {
		if b, err := os.ReadFile(c.statePath(abs)); err == nil {
			var s state
			if json.Unmarshal(b, &s) == nil && s.Size == st.Size() && s.ModTime == st.ModTime().UnixNano() {
				if err := c.do(ctx, http.MethodGet, "/v1/uploads/"+s.UploadID, nil, "", &u); err == nil &&
					(u.Status == "uploading" || u.Status == "completed") {
					return u, nil
				}
			}
		}
	}
	req := map[string]any{"file_name": filepath.Base(abs), "file_size": st.Size(), "mime_type": "video/mp4"}
	if c.ChunkSize > 0 {
		req["chunk_size"] = c.ChunkSize
	}
	body, _ := json.Marshal(req)
	if err := c.do(ctx, http.MethodPost, "/v1/uploads", bytes.NewReader(body), "application/json", &u); err != nil {
		return Upload{}, err
	}
	if c.StateDir != "" {
		_ = c.saveState(abs, state{UploadID: u.ID, Size: st.Size(), ModTime: st.ModTime().UnixNano()})
	}
	return u, nil
}

// saveState keeps what resuming the upload of abs needs; a failure only
// costs the resume. The file is replaced whole (pkg/atomicfile): a crash
// mid-write leaves the old state or the new, never a torn one.
func (c *Client) saveState(abs string, s state) error {
	b, err := json.Marshal(s)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(c.StateDir, 0o700); err != nil {
		return err
	}
	return atomicfile.Write(c.statePath(abs), b, 0o600)
}

// putPart sends part n, trying again (with backoff) when the gateway or
// the network says it may work later.
func (c *Client) putPart(ctx context.Context, u Upload, f *os.File, n int, size int64) error {
	wait := 500 * time.Millisecond
	for attempt := 1; ; attempt++ {
		err := c.do(ctx, http.MethodPut, "/v1/uploads/"+u.ID+"/parts/"+strconv.Itoa(n),
			io.NewSectionReader(f, int64(n)*u.ChunkSize, size), "application/octet-stream", nil)
		var apiErr *APIError
		if err == nil || attempt == 4 || ctx.Err() != nil || errors.As(err, &apiErr) && !apiErr.Retryable && apiErr.Status < 500 {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
		wait *= 2
	}
}

// CreateJob starts a job; the idempotency key makes a repeated call (a
// run resumed after a crash) return the same job.
func (c *Client) CreateJob(ctx context.Context, req any, idempotencyKey string) (Job, error) {
	body, err := json.Marshal(req)
	if err != nil {
		return Job{}, err
	}
	var j Job
	err = c.do(ctx, http.MethodPost, "/v1/jobs", bytes.NewReader(body), "application/json", &j, "Idempotency-Key", idempotencyKey)
	return j, err
}

// Wait polls a job (every second, then up to every 5 s) until it ends,
// passing each state to progress.
func (c *Client) Wait(ctx context.Context, id string, progress func(Job)) (Job, error) {
	every := time.Second
	for {
		var j Job
		if err := c.do(ctx, http.MethodGet, "/v1/jobs/"+id, nil, "", &j); err != nil {
			return Job{}, err
		}
		progress(j)
		if j.Ended() {
			return j, nil
		}
		select {
		case <-ctx.Done():
			return Job{}, ctx.Err()
		case <-time.After(every):
		}
		every = min(every*5/4, 5*time.Second)
	}
}

// Download writes a completed job's output to path.
func (c *Client) Download(ctx context.Context, j Job, path string) error {
	if j.OutputURL == nil {
		return fmt.Errorf("job %s has no output (%s)", j.ID, j.Status)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(c.Base, "/")+*j.OutputURL, nil)
	if err != nil {
		return err
	}
	if c.Key != "" {
		req.Header.Set("Authorization", "Bearer "+c.Key)
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("download: %s", resp.Status)
	}
	tmp := path + ".part"
	out, err := os.Create(tmp)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, resp.Body); err != nil {
		out.Close()
		os.Remove(tmp)
		return err
	}
	// Synced before the rename, so a crash cannot leave a short file
	// under the final name.
	if err := out.Sync(); err != nil {
		out.Close()
		os.Remove(tmp)
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
