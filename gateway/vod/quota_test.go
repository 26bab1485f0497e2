package vod

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Issue #12 finding 12: VOD had no per-owner quota: one key could queue
// jobs without end and fill the network. Over vod.quota a job is refused
// with 429 quota_exceeded and a Retry-After, for its owner only.
func TestVODQuotaExceeded(t *testing.T) {
	const keyA, keyB = "key-of-owner-a-0123456789", "key-of-owner-b-0123456789"
	type step struct {
		name       string
		key        string
		advance    time.Duration
		cancelLast bool
		// upload, when set, creates an upload of that many bytes, not a job.
		upload int64
		// status is the answer wanted; retryAfter its Retry-After when 429.
		status, retryAfter int
	}
	tests := []struct {
		name  string
		quota QuotaConfig
		steps []step
	}{
		{
			name:  "active jobs",
			quota: QuotaConfig{MaxActiveJobs: 2},
			steps: []step{
				{name: "first", key: keyA, status: http.StatusCreated},
				{name: "second", key: keyA, status: http.StatusCreated},
				{name: "third is over", key: keyA, status: http.StatusTooManyRequests, retryAfter: activeRetryAfter},
				{name: "another owner is not", key: keyB, status: http.StatusCreated},
				{name: "after a cancel", key: keyA, cancelLast: true, status: http.StatusCreated},
				{name: "full again", key: keyA, status: http.StatusTooManyRequests, retryAfter: activeRetryAfter},
			},
		},
		{
			name:  "jobs per window",
			quota: QuotaConfig{MaxJobsPerWindow: 2, Window: time.Hour},
			steps: []step{
				{name: "first", key: keyA, status: http.StatusCreated},
				{name: "second", key: keyA, advance: 10 * time.Minute, status: http.StatusCreated},
				// At 30 minutes: the first leaves the window 30 minutes later.
				{name: "third is over", key: keyA, advance: 20 * time.Minute, status: http.StatusTooManyRequests, retryAfter: 30 * 60},
				{name: "canceling does not give it back", key: keyA, cancelLast: true, status: http.StatusTooManyRequests, retryAfter: 30 * 60},
				{name: "another owner is not", key: keyB, status: http.StatusCreated},
				{name: "once the first left the window", key: keyA, advance: 30*time.Minute + time.Millisecond, status: http.StatusCreated},
			},
		},
		{
			name:  "upload bytes per window",
			quota: QuotaConfig{MaxUploadBytesPerWindow: 3 << 20, Window: time.Hour},
			steps: []step{
				{name: "two MiB", key: keyA, upload: 2 << 20, status: http.StatusCreated},
				{name: "one more MiB", key: keyA, upload: 1 << 20, advance: 15 * time.Minute, status: http.StatusCreated},
				{name: "one byte more is over", key: keyA, upload: 1, advance: 15 * time.Minute, status: http.StatusTooManyRequests, retryAfter: 30 * 60},
				{name: "another owner is not", key: keyB, upload: 3 << 20, status: http.StatusCreated},
				{name: "jobs are not bytes", key: keyA, status: http.StatusCreated},
				{name: "once the first left the window", key: keyA, upload: 2 << 20, advance: 30*time.Minute + time.Millisecond, status: http.StatusCreated},
			},
		},
	}
	for name, url := range stores(t) {
		t.Run(name, func(t *testing.T) {
			for _, tc := range tests {
				t.Run(tc.name, func(t *testing.T) {
					ta := newTestAPI(t, url(t), func(c *Config) {
						c.Quota, c.AllowPrivateURLs, c.RateLimit = tc.quota, true, RateLimitConfig{}
						c.APIKeys = []APIKey{{Key: keyA, Name: "a"}, {Key: keyB, Name: "b"}}
					})
					last := map[string]string{}
					for _, s := range tc.steps {
						ta.clock.Advance(s.advance)
						auth := []string{"Authorization", "Bearer " + s.key}
						if s.cancelLast {
							if a := ta.do(t, http.MethodDelete, "/v1/jobs/"+last[s.key], nil, auth...); a.status != http.StatusOK {
								t.Fatalf("%s: cancel: %d %s", s.name, a.status, a.body)
							}
						}
						path, body := "/v1/jobs", map[string]any{"source": map[string]any{"type": "url", "url": "http://127.0.0.1:9/clip.mp4"}}
						if s.upload > 0 {
							path, body = "/v1/uploads", map[string]any{"file_name": "clip.mp4", "file_size": s.upload, "mime_type": "video/mp4"}
						}
						a := ta.do(t, http.MethodPost, path, mustJSON(t, body), auth...)
						if a.status != s.status {
							t.Fatalf("%s: %d %s, want %d", s.name, a.status, a.body, s.status)
						}
						if s.status == http.StatusCreated {
							var j jobResponse
							a.json(t, &j)
							if s.upload == 0 {
								last[s.key] = j.ID
							}
							continue
						}
						if code := a.errorCode(t); code != codeQuotaExceeded {
							t.Fatalf("%s: code %s, want %s", s.name, code, codeQuotaExceeded)
						}
						if got := a.header.Get("Retry-After"); got != strconv.Itoa(s.retryAfter) {
							t.Fatalf("%s: Retry-After %q, want %d", s.name, got, s.retryAfter)
						}
					}
				})
			}
		})
	}

	t.Run("optimize refuses before reading the file", func(t *testing.T) {
		ta := newTestAPI(t, t.TempDir()+"/vod.db", func(c *Config) {
			c.Quota, c.AllowPrivateURLs, c.RateLimit = QuotaConfig{MaxActiveJobs: 1}, true, RateLimitConfig{}
		})
		if a := ta.do(t, http.MethodPost, "/v1/jobs", mustJSON(t, map[string]any{
			"source": map[string]any{"type": "url", "url": "http://127.0.0.1:9/clip.mp4"},
		})); a.status != http.StatusCreated {
			t.Fatalf("first job: %d %s", a.status, a.body)
		}
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		fw, err := mw.CreateFormFile("video", "clip.mp4")
		if err != nil {
			t.Fatal(err)
		}
		_, _ = fw.Write([]byte("not a video, and never probed"))
		_ = mw.Close()
		// Without the quota this is 422 source_invalid, once the file was read.
		a := ta.do(t, http.MethodPost, "/api/optimize", body.Bytes(), "Content-Type", mw.FormDataContentType())
		if a.status != http.StatusTooManyRequests || a.errorCode(t) != codeQuotaExceeded {
			t.Fatalf("optimize over quota: %d %s", a.status, a.body)
		}
	})
}

func TestQuotaConfigValidate(t *testing.T) {
	tests := []struct {
		name  string
		quota QuotaConfig
		key   string // empty: valid
	}{
		{"the defaults", DefaultConfig().Quota, ""},
		{"no limits", QuotaConfig{}, ""},
		{"negative active", QuotaConfig{MaxActiveJobs: -1}, "quota.max_active_jobs"},
		{"negative per window", QuotaConfig{MaxJobsPerWindow: -1}, "quota.max_jobs_per_window"},
		{"negative bytes", QuotaConfig{MaxUploadBytesPerWindow: -1}, "quota.max_upload_bytes_per_window"},
		{"a count without a window", QuotaConfig{MaxJobsPerWindow: 5}, "quota.window"},
		{"bytes without a window", QuotaConfig{MaxUploadBytesPerWindow: 5}, "quota.window"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := DefaultConfig()
			c.Quota = tc.quota
			err := c.Validate()
			if tc.key == "" && err != nil || tc.key != "" && (err == nil || !strings.Contains(err.Error(), tc.key)) {
				t.Fatalf("got %v, want an error naming %q", err, tc.key)
			}
		})
	}
}
