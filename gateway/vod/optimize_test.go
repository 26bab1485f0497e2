package vod

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// form is a multipart body with the file in field.
func form(t *testing.T, field string, data []byte) ([]byte, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	fw, err := mw.CreateFormFile(field, "clip.mp4")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes(), mw.FormDataContentType()
}

func TestOptimize(t *testing.T) {
	video := clip(t)
	ta := newJobAPI(t, filepath.Join(t.TempDir(), "vod.db"), &localTranscoder{}, nil)
	ta.run(t)
	body, ct := form(t, "video", video)
	a := ta.do(t, http.MethodPost, "/api/optimize", body, "Content-Type", ct, "Idempotency-Key", "opt-1")
	var acc optimizeAccepted
	a.json(t, &acc)
	if a.status != http.StatusAccepted || acc.Status != "processing" || acc.OriginalSize != int64(len(video)) || acc.PollURL != "/api/optimize/"+acc.ID {
		t.Fatalf("optimize: %d %s", a.status, a.body)
	}
	// The same file under the same key: the same answer, one job.
	again := ta.do(t, http.MethodPost, "/api/optimize", body, "Content-Type", ct, "Idempotency-Key", "opt-1")
	if again.status != http.StatusAccepted || !bytes.Equal(again.body, a.body) || again.header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("replay: %d %s", again.status, again.body)
	}
	var st optimizeStatus
	pollStatus := func() bool {
		ta.do(t, http.MethodGet, acc.PollURL, nil).json(t, &st)
		return st.Status != "processing"
	}
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	deadline := time.Now().Add(2 * time.Minute)
	for !pollStatus() {
		if time.Now().After(deadline) {
			t.Fatalf("still processing: %+v", st)
		}
		<-tick.C
	}
	if st.Status != "complete" || st.OptimizedSize == nil || st.ReductionPct == nil || st.Metrics == nil ||
		st.DownloadURL != "/api/optimize/"+acc.ID+"/download" || st.Metrics.OutputResolution != "640x360" {
		t.Fatalf("status %+v metrics %+v", st, st.Metrics)
	}
	dl := ta.do(t, http.MethodGet, st.DownloadURL, nil)
	if dl.status != http.StatusOK || int64(len(dl.body)) != *st.OptimizedSize {
		t.Fatalf("download: %d, %d bytes, want %d", dl.status, len(dl.body), *st.OptimizedSize)
	}
	var l listResponse
	ta.do(t, http.MethodGet, "/v1/jobs", nil).json(t, &l)
	if len(l.Jobs) != 1 {
		t.Fatalf("%d jobs; the replayed request made another", len(l.Jobs))
	}

	// Bad requests leave no file behind.
	text, tct := form(t, "video", bytes.Repeat([]byte("not a video "), 1000))
	if a := ta.do(t, http.MethodPost, "/api/optimize", text, "Content-Type", tct); a.status != 422 || a.errorCode(t) != codeSourceInvalid {
		t.Fatalf("text: %d %s", a.status, a.body)
	}
	other, oct := form(t, "file", video)
	if a := ta.do(t, http.MethodPost, "/api/optimize", other, "Content-Type", oct); a.status != 400 || a.errorCode(t) != codeValidation {
		t.Fatalf("no video field: %d %s", a.status, a.body)
	}
	if a := ta.do(t, http.MethodPost, "/api/optimize", []byte(`{}`)); a.status != 415 {
		t.Fatalf("json: %d %s", a.status, a.body)
	}
	entries, err := os.ReadDir(ta.files.upload(""))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Fatalf("%d uploads on disk, want the one optimized", len(entries))
	}
}
