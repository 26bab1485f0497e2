package vod

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/castmesh/castmesh/test/fixture"
	"github.com/castmesh/castmesh/test/harness"
)

// testAPI is an API behind an httptest server, with a clock the test moves
// and every answer checked against the OpenAPI document.
type testAPI struct {
	*API
	srv    *httptest.Server
	clock  *fixture.Clock
	router routers.Router
}

func newTestAPI(t *testing.T, storeURL string, mutate func(*Config)) *testAPI {
	t.Helper()
	cfg := DefaultConfig()
	cfg.Enabled, cfg.Store, cfg.MediaDir = true, storeURL, filepath.Join(t.TempDir(), "media")
	if mutate != nil {
		mutate(&cfg)
	}
	clock := fixture.NewClock(time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC))
	a, err := New(t.Context(), cfg, "", Deps{}, slog.New(slog.DiscardHandler), NewMetrics(prometheus.NewRegistry()))
	if err != nil {
		t.Fatal(err)
	}
	a.now, a.limits.perIP.now, a.limits.perKey.now = clock.Now, clock.Now, clock.Now
	t.Cleanup(func() { a.Close() })
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(srv.Close)
	doc, err := openapi3.NewLoader().LoadFromData(Document)
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(t.Context()); err != nil {
		t.Fatalf("openapi.yaml: %v", err)
	}
	doc.Servers = nil
	router, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	return &testAPI{API: a, srv: srv, clock: clock, router: router}
}

// answer is one response, read whole.
type answer struct {
	status int
	header http.Header
	body   []byte
}

func (a answer) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(a.body, v); err != nil {
		t.Fatalf("%d %s: %v", a.status, a.body, err)
	}
}

// errorCode is the code of an error answer, checked for the envelope.
func (a answer) errorCode(t *testing.T) string {
	t.Helper()
	var e errorBody
	a.json(t, &e)
	if e.Error.RequestID == "" || e.Error.RequestID != a.header.Get("X-Request-Id") || e.Error.Message == "" {
		t.Fatalf("error without request id or message: %s", a.body)
	}
	return e.Error.Code
}

// do sends a request with headers (name, value pairs) and checks the
// answer against the document.
func (ta *testAPI) do(t *testing.T, method, path string, body []byte, header ...string) answer {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, ta.srv.URL+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != nil && method != http.MethodPut {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	a := answer{status: resp.StatusCode, header: resp.Header, body: b}
	if a.header.Get("X-Request-Id") == "" {
		t.Fatalf("%s %s: no X-Request-Id", method, path)
	}
	ta.conform(t, req, a)
	return a
}

// conform validates an answer against the document.
func (ta *testAPI) conform(t *testing.T, req *http.Request, a answer) {
	t.Helper()
	route, params, err := ta.router.FindRoute(req)
	if err != nil {
		return // routes the document does not have answer 404 and are checked as such
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request: req, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc},
		},
		Status: a.status, Header: a.header,
		Options: &openapi3filter.Options{IncludeResponseStatus: true},
	}
	in.SetBodyBytes(a.body)
	if err := openapi3filter.ValidateResponse(t.Context(), in); err != nil {
		t.Fatalf("%s %s → %d %s: not as openapi.yaml says: %v", req.Method, req.URL.Path, a.status, a.body, err)
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// stores are the backends every test runs on: a SQLite file and a real
// PostgreSQL server.
func stores(t *testing.T) map[string]func(t *testing.T) string {
	pg := harness.StartPostgres(t)
	return map[string]func(t *testing.T) string{
		"sqlite":   func(t *testing.T) string { return filepath.Join(t.TempDir(), "vod.db") },
		"postgres": func(t *testing.T) string { return pg.Database(t) },
	}
}

// clip is an 8 s 640×360 MP4 of about 3 MB: three parts of 1 MiB.
func clip(t *testing.T) []byte {
	t.Helper()
	fixture.RequireTool(t, "ffmpeg")
	b, err := os.ReadFile(fixture.Clip(t, fixture.ClipSpec{
		Width: 640, Height: 360, FPS: 30, Duration: 8 * time.Second, GOP: 2 * time.Second, Audio: true,
		Format: "mp4", Bitrate: 3_000_000,
	}))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestAPI(t *testing.T) {
	video := clip(t)
	for name, url := range stores(t) {
		t.Run(name, func(t *testing.T) {
			t.Run("upload in parts", func(t *testing.T) { uploadInParts(t, newTestAPI(t, url(t), nil), video) })
			t.Run("bad uploads", func(t *testing.T) { badUploads(t, newTestAPI(t, url(t), nil), video) })
			t.Run("idempotency", func(t *testing.T) { idempotency(t, newTestAPI(t, url(t), nil)) })
			t.Run("keys and scopes", func(t *testing.T) { keysAndScopes(t, url(t)) })
			t.Run("rate limits", func(t *testing.T) { rateLimits(t, url(t)) })
			t.Run("expiry", func(t *testing.T) { expiry(t, newTestAPI(t, url(t), nil), video) })
		})
	}
}

// createUpload starts an upload of data in 1 MiB parts.
func (ta *testAPI) createUpload(t *testing.T, name string, size int, header ...string) uploadResponse {
	t.Helper()
	a := ta.do(t, http.MethodPost, "/v1/uploads", mustJSON(t, map[string]any{
		"file_name": name, "file_size": size, "mime_type": "video/mp4", "chunk_size": minChunk,
	}), header...)
	if a.status != http.StatusCreated {
		t.Fatalf("create: %d %s", a.status, a.body)
	}
	var u uploadResponse
	a.json(t, &u)
	return u
}

// parts splits data as the upload wants it.
func parts(u uploadResponse, data []byte) [][]byte {
	var out [][]byte
	for off := int64(0); off < int64(len(data)); off += u.ChunkSize {
		out = append(out, data[off:min(off+u.ChunkSize, int64(len(data)))])
	}
	return out
}

func (ta *testAPI) putPart(t *testing.T, id string, n int, data []byte) answer {
	t.Helper()
	return ta.do(t, http.MethodPut, "/v1/uploads/"+id+"/parts/"+strconv.Itoa(n), data, "Content-Type", "application/octet-stream")
}

func uploadInParts(t *testing.T, ta *testAPI, video []byte) {
	u := ta.createUpload(t, "clip.mp4", len(video))
	if u.TotalChunks != 3 || u.Status != uploadUploading || len(u.ReceivedChunks) != 0 {
		t.Fatalf("created %+v", u)
	}
	ps := parts(u, video)
	// Parts out of order, the middle one twice: the second time changes
	// nothing.
	for _, n := range []int{2, 0} {
		if a := ta.putPart(t, u.ID, n, ps[n]); a.status != http.StatusOK {
			t.Fatalf("part %d: %d %s", n, a.status, a.body)
		}
	}
	var got uploadResponse
	ta.do(t, http.MethodGet, "/v1/uploads/"+u.ID, nil).json(t, &got)
	if len(got.ReceivedChunks) != 2 || got.ReceivedChunks[0] != 0 || got.ReceivedChunks[1] != 2 {
		t.Fatalf("received %v, want [0 2]", got.ReceivedChunks)
	}
	if a := ta.do(t, http.MethodPost, "/v1/uploads/"+u.ID+"/complete", nil); a.status != http.StatusBadRequest || a.errorCode(t) != codePartsMissing {
		t.Fatalf("complete with a part missing: %d %s", a.status, a.body)
	}
	ta.putPart(t, u.ID, 1, ps[1])
	garbage := bytes.Repeat([]byte{0xff}, len(ps[1]))
	if a := ta.putPart(t, u.ID, 1, garbage); a.status != http.StatusOK {
		t.Fatalf("part sent again: %d %s", a.status, a.body)
	}
	a := ta.do(t, http.MethodPost, "/v1/uploads/"+u.ID+"/complete", nil)
	if a.status != http.StatusOK {
		t.Fatalf("complete: %d %s", a.status, a.body)
	}
	a.json(t, &got)
	s := got.Source
	if got.Status != uploadCompleted || s == nil || s.Width != 640 || s.Height != 360 || s.Bytes != int64(len(video)) ||
		s.VideoCodec != "h264" || s.AudioCodec != "aac" || s.Frames != 240 || s.DurationSeconds < 7.9 || s.DurationSeconds > 8.1 {
		t.Fatalf("completed %+v source %+v", got, s)
	}
	if *got.SHA256 != s.SHA256 || len(s.SHA256) != 64 {
		t.Fatalf("sha256 %v / %s", got.SHA256, s.SHA256)
	}
	kept, err := os.ReadFile(ta.files.source(u.ID))
	if err != nil || !bytes.Equal(kept, video) {
		t.Fatalf("the assembled file differs from the upload (%v)", err)
	}
	if _, err := os.Stat(ta.files.parts(u.ID)); !os.IsNotExist(err) {
		t.Fatalf("parts left after complete: %v", err)
	}
}

func badUploads(t *testing.T, ta *testAPI, video []byte) {
	// complete fails, and leaves no file behind: the upload is failed.
	failing := func(t *testing.T, data []byte, size int, code string) {
		t.Helper()
		u := ta.createUpload(t, "bad", size)
		for n, p := range parts(u, data) {
			if a := ta.putPart(t, u.ID, n, p); a.status != http.StatusOK {
				t.Fatalf("part %d: %d %s", n, a.status, a.body)
			}
		}
		a := ta.do(t, http.MethodPost, "/v1/uploads/"+u.ID+"/complete", nil)
		if a.status != http.StatusUnprocessableEntity || a.errorCode(t) != code {
			t.Fatalf("complete: %d %s, want 422 %s", a.status, a.body, code)
		}
		if _, err := os.Stat(ta.files.upload(u.ID)); !os.IsNotExist(err) {
			t.Fatalf("files left behind: %v", err)
		}
		var got uploadResponse
		ta.do(t, http.MethodGet, "/v1/uploads/"+u.ID, nil).json(t, &got)
		if got.Status != uploadFailed || got.Reason == nil {
			t.Fatalf("after a failed complete: %+v", got)
		}
	}
	t.Run("not a video", func(t *testing.T) {
		text := bytes.Repeat([]byte("this is a text file, not a video\n"), 40_000)
		failing(t, text, len(text), codeSourceInvalid)
	})
	t.Run("truncated", func(t *testing.T) {
		cut := video[:len(video)*2/3] // ffmpeg writes the MP4 index last
		failing(t, cut, len(cut), codeSourceInvalid)
	})
	t.Run("size mismatch", func(t *testing.T) {
		failing(t, video[:len(video)-1000], len(video), codeSizeMismatch)
	})
	t.Run("part out of range", func(t *testing.T) {
		u := ta.createUpload(t, "clip.mp4", len(video))
		for _, n := range []string{"3", "-1", "x"} {
			a := ta.do(t, http.MethodPut, "/v1/uploads/"+u.ID+"/parts/"+n, []byte("data"), "Content-Type", "application/octet-stream")
			if a.status != http.StatusBadRequest || a.errorCode(t) != codePartRange {
				t.Fatalf("part %s: %d %s", n, a.status, a.body)
			}
		}
	})
	t.Run("part of the wrong size", func(t *testing.T) {
		u := ta.createUpload(t, "clip.mp4", len(video))
		a := ta.putPart(t, u.ID, 0, video[:1000])
		if a.status != http.StatusBadRequest || a.errorCode(t) != codePartSize {
			t.Fatalf("short part: %d %s", a.status, a.body)
		}
		if _, err := os.Stat(ta.files.part(u.ID, 0)); !os.IsNotExist(err) {
			t.Fatalf("a refused part was kept: %v", err)
		}
	})
	t.Run("bad requests", func(t *testing.T) {
		for _, tt := range []struct {
			name, body string
			status     int
			code       string
		}{
			{"no name", `{"file_size":10,"mime_type":"video/mp4"}`, 400, codeValidation},
			{"zero size", `{"file_name":"a","file_size":0,"mime_type":"video/mp4"}`, 400, codeValidation},
			{"too large", `{"file_name":"a","file_size":99999999999999,"mime_type":"video/mp4"}`, 413, codeTooLarge},
			{"unknown field", `{"file_name":"a","file_size":10,"mime_type":"video/mp4","color":"red"}`, 400, codeValidation},
			{"not json", `file_name=a`, 400, codeValidation},
		} {
			a := ta.do(t, http.MethodPost, "/v1/uploads", []byte(tt.body))
			if a.status != tt.status || a.errorCode(t) != tt.code {
				t.Fatalf("%s: %d %s, want %d %s", tt.name, a.status, a.body, tt.status, tt.code)
			}
		}
		if a := ta.do(t, http.MethodGet, "/v1/uploads/upl_nope", nil); a.status != 404 || a.errorCode(t) != codeNotFound {
			t.Fatalf("unknown upload: %d %s", a.status, a.body)
		}
	})
}

func idempotency(t *testing.T, ta *testAPI) {
	body := mustJSON(t, map[string]any{"file_name": "a.mp4", "file_size": 5000, "mime_type": "video/mp4"})
	first := ta.do(t, http.MethodPost, "/v1/uploads", body, "Idempotency-Key", "k1")
	again := ta.do(t, http.MethodPost, "/v1/uploads", body, "Idempotency-Key", "k1")
	if first.status != 201 || again.status != 201 || !bytes.Equal(first.body, again.body) || again.header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("replay: %d %s / %d %s", first.status, first.body, again.status, again.body)
	}
	other := mustJSON(t, map[string]any{"file_name": "b.mp4", "file_size": 5000, "mime_type": "video/mp4"})
	if a := ta.do(t, http.MethodPost, "/v1/uploads", other, "Idempotency-Key", "k1"); a.status != 409 || a.errorCode(t) != codeConflict {
		t.Fatalf("another body, same key: %d %s", a.status, a.body)
	}
	var u uploadResponse
	first.json(t, &u)
	// Keys are per route: k1 on complete is a new request.
	a := ta.do(t, http.MethodPost, "/v1/uploads/"+u.ID+"/complete", nil, "Idempotency-Key", "k1")
	if a.status != 400 || a.errorCode(t) != codePartsMissing {
		t.Fatalf("complete with k1: %d %s", a.status, a.body)
	}
	// A kept error answer is replayed as it was.
	b := ta.do(t, http.MethodPost, "/v1/uploads/"+u.ID+"/complete", nil, "Idempotency-Key", "k1")
	if b.status != 400 || !bytes.Equal(a.body, b.body) {
		t.Fatalf("replayed error: %d %s", b.status, b.body)
	}
	if a := ta.do(t, http.MethodPost, "/v1/uploads", body, "Idempotency-Key", strings.Repeat("k", 129)); a.status != 400 || a.errorCode(t) != codeIdempotencyKey {
		t.Fatalf("long key: %d %s", a.status, a.body)
	}
}

func keysAndScopes(t *testing.T, url string) {
	ta := newTestAPI(t, url, func(c *Config) {
		c.APIKeys = []APIKey{
			{Key: "writer-key-0123456789", Name: "writer", Owner: "acme"},
			{Key: "reader-key-0123456789", Name: "reader", Owner: "acme", Scopes: []string{scopeUploadsRead}},
			{Key: "other-key-01234567890", Name: "other"},
		}
	})
	body := mustJSON(t, map[string]any{"file_name": "a.mp4", "file_size": 5000, "mime_type": "video/mp4"})
	if a := ta.do(t, http.MethodPost, "/v1/uploads", body); a.status != 401 || a.errorCode(t) != codeUnauthorized {
		t.Fatalf("no key: %d %s", a.status, a.body)
	}
	if a := ta.do(t, http.MethodPost, "/v1/uploads", body, "Authorization", "Bearer wrong-key-0123456789"); a.status != 401 {
		t.Fatalf("unknown key: %d %s", a.status, a.body)
	}
	if a := ta.do(t, http.MethodPost, "/v1/uploads", body, "Authorization", "Bearer reader-key-0123456789"); a.status != 403 || a.errorCode(t) != codeForbidden {
		t.Fatalf("reader creating: %d %s", a.status, a.body)
	}
	a := ta.do(t, http.MethodPost, "/v1/uploads", body, "Authorization", "Bearer writer-key-0123456789")
	if a.status != 201 {
		t.Fatalf("writer creating: %d %s", a.status, a.body)
	}
	var u uploadResponse
	a.json(t, &u)
	// The reader shares the writer's owner and sees the upload; another
	// owner does not.
	if a := ta.do(t, http.MethodGet, "/v1/uploads/"+u.ID, nil, "Authorization", "Bearer reader-key-0123456789"); a.status != 200 {
		t.Fatalf("reader reading: %d %s", a.status, a.body)
	}
	if a := ta.do(t, http.MethodGet, "/v1/uploads/"+u.ID, nil, "Authorization", "Bearer other-key-01234567890"); a.status != 404 {
		t.Fatalf("other owner reading: %d %s", a.status, a.body)
	}
}

func rateLimits(t *testing.T, url string) {
	ta := newTestAPI(t, url, func(c *Config) {
		c.APIKeys = []APIKey{{Key: "slow-key-01234567890", Name: "slow"}, {Key: "fast-key-01234567890", Name: "fast"}}
		c.RateLimit = RateLimitConfig{PerKey: Bucket{Rate: 0.5, Burst: 2}, PerIP: Bucket{Rate: 1, Burst: 4}}
	})
	get := func(key string) answer {
		return ta.do(t, http.MethodGet, "/v1/uploads/upl_none", nil, "Authorization", "Bearer "+key)
	}
	for range 2 {
		if a := get("slow-key-01234567890"); a.status != 404 {
			t.Fatalf("within the burst: %d %s", a.status, a.body)
		}
	}
	a := get("slow-key-01234567890")
	if a.status != 429 || a.errorCode(t) != codeRateLimited || a.header.Get("Retry-After") != "2" {
		t.Fatalf("past the key's burst: %d %s Retry-After %q", a.status, a.body, a.header.Get("Retry-After"))
	}
	// Another key from the same address still has its own bucket, until
	// the address's runs out.
	if a := get("fast-key-01234567890"); a.status != 404 {
		t.Fatalf("another key: %d %s", a.status, a.body)
	}
	if a := get("fast-key-01234567890"); a.status != 429 || a.header.Get("Retry-After") != "1" {
		t.Fatalf("past the address's burst: %d %s", a.status, a.body)
	}
	ta.clock.Advance(2 * time.Second)
	if a := get("slow-key-01234567890"); a.status != 404 {
		t.Fatalf("after waiting: %d %s", a.status, a.body)
	}
}

func expiry(t *testing.T, ta *testAPI, video []byte) {
	u := ta.createUpload(t, "clip.mp4", len(video))
	ta.putPart(t, u.ID, 0, parts(u, video)[0])
	ta.clock.Advance(ta.cfg.UploadTTL)
	if a := ta.putPart(t, u.ID, 1, parts(u, video)[1]); a.status != http.StatusGone || a.errorCode(t) != codeUploadExpired {
		t.Fatalf("part after expiry: %d %s", a.status, a.body)
	}
	if err := ta.expireUploads(t.Context()); err != nil {
		t.Fatal(err)
	}
	var got uploadResponse
	ta.do(t, http.MethodGet, "/v1/uploads/"+u.ID, nil).json(t, &got)
	if got.Status != uploadExpired {
		t.Fatalf("status %s", got.Status)
	}
	if _, err := os.Stat(ta.files.upload(u.ID)); !os.IsNotExist(err) {
		t.Fatalf("files of an expired upload: %v", err)
	}
}
