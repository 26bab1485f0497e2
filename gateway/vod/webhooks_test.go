package vod

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/castmesh/castmesh/test/fixture"
)

// jobWebhooks: a receiver that fails twice gets the event on the third
// try, signed; the job's delivery log shows it.
func jobWebhooks(t *testing.T, url string, video []byte) {
	var mu sync.Mutex
	var got []http.Header
	var bodies [][]byte
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		got, bodies = append(got, r.Header.Clone()), append(bodies, b)
		if len(got) <= 2 {
			http.Error(w, "not yet", http.StatusServiceUnavailable)
		}
	}))
	defer recv.Close()
	ta := newJobAPI(t, url, &localTranscoder{}, func(c *Config) {
		c.AllowPrivateURLs = true
		c.Webhooks.Retries = []time.Duration{100 * time.Millisecond, 100 * time.Millisecond, time.Second}
	})
	ta.run(t)
	a := ta.do(t, http.MethodPost, "/v1/webhooks", mustJSON(t, map[string]any{"url": recv.URL, "name": "test"}))
	var wh webhookResponse
	a.json(t, &wh)
	if a.status != http.StatusCreated || len(wh.Secret) != 64 {
		t.Fatalf("webhook: %d %s", a.status, a.body)
	}
	var list struct{ Webhooks []webhookResponse }
	ta.do(t, http.MethodGet, "/v1/webhooks", nil).json(t, &list)
	if len(list.Webhooks) != 1 || list.Webhooks[0].Secret != "" {
		t.Fatalf("listed %+v: the secret is shown once only", list)
	}
	id := ta.completedUpload(t, video)
	j := ta.createJob(t, map[string]any{
		"source": map[string]any{"type": "upload", "upload_id": id}, "profile": "h264-fast",
		"webhook_ids": []string{wh.ID}, "metadata": map[string]any{"order": 42},
	})
	ta.waitJob(t, j.ID, time.Minute)
	fixture.Eventually(t, 30*time.Second, func() bool { mu.Lock(); defer mu.Unlock(); return len(got) == 3 }, "three attempts")
	mu.Lock()
	defer mu.Unlock()
	for i, h := range got {
		if want := Sign(wh.Secret, h.Get(TimestampHeader), bodies[i]); h.Get(SignatureHeader) != want {
			t.Fatalf("attempt %d: signature %q, want %q", i+1, h.Get(SignatureHeader), want)
		}
		if h.Get(EventIDHeader) != got[0].Get(EventIDHeader) {
			t.Fatalf("the event id changed between attempts")
		}
	}
	var ev Event
	if err := json.Unmarshal(bodies[2], &ev); err != nil || ev.Type != "job.completed" || ev.JobID != j.ID ||
		ev.Metadata["order"] != float64(42) || ev.Job.Result == nil {
		t.Fatalf("event %+v (%v)", ev, err)
	}
	var log struct{ Deliveries []deliveryLog }
	fixture.Eventually(t, 10*time.Second, func() bool {
		ta.do(t, http.MethodGet, "/v1/jobs/"+j.ID+"/deliveries", nil).json(t, &log)
		return len(log.Deliveries) == 1 && log.Deliveries[0].Status == "delivered"
	}, "the delivery is logged")
	if log.Deliveries[0].Attempts != 3 {
		t.Fatalf("delivery log %+v", log.Deliveries)
	}
	if a := ta.do(t, http.MethodDelete, "/v1/webhooks/"+wh.ID, nil); a.status != http.StatusNoContent {
		t.Fatalf("delete: %d", a.status)
	}
	if a := ta.do(t, http.MethodDelete, "/v1/webhooks/"+wh.ID, nil); a.status != http.StatusNotFound {
		t.Fatalf("delete again: %d", a.status)
	}
}

// jobURL fetches its source from an http URL (a loopback one, allowed
// here); a URL that answers 404 fails the job, saying why.
func jobURL(t *testing.T, url string, video []byte) {
	src := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/clip.mp4" {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write(video)
	}))
	defer src.Close()
	ta := newJobAPI(t, url, &localTranscoder{}, func(c *Config) { c.AllowPrivateURLs = true })
	ta.run(t)
	j := ta.createJob(t, map[string]any{"source": map[string]any{"type": "url", "url": src.URL + "/clip.mp4"}, "profile": "h264-fast"})
	j = ta.waitJob(t, j.ID, time.Minute)
	if j.Status != jobCompleted || j.Source.Info == nil || j.Source.Info.Bytes != int64(len(video)) || j.Result.Output.Frames != 240 {
		t.Fatalf("url job %+v error %v", j, j.Error)
	}
	gone := ta.createJob(t, map[string]any{"source": map[string]any{"type": "url", "url": src.URL + "/gone.mp4"}})
	gone = ta.waitJob(t, gone.ID, time.Minute)
	if gone.Status != jobFailed || gone.Error == nil || !strings.Contains(*gone.Error, "404") || gone.Attempt != 1 {
		t.Fatalf("a 404 source: %+v error %v", gone, gone.Error)
	}
	if _, err := os.Stat(ta.files.job(gone.ID)); !os.IsNotExist(err) {
		t.Fatalf("a failed job left its files: %v", err)
	}
}
