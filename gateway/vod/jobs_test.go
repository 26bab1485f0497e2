package vod

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/castmesh/castmesh/pkg/media"
	"github.com/castmesh/castmesh/test/fixture"
)

// run starts the API's background work until the test ends (or stop).
func (ta *testAPI) run(t *testing.T) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.WithoutCancel(t.Context()))
	done := make(chan struct{})
	go func() { _ = ta.Run(ctx); close(done) }()
	stop = func() { cancel(); <-done }
	t.Cleanup(stop)
	return stop
}

// realTime gives the API the wall clock: jobs and deliveries wait on it.
func (ta *testAPI) realTime() *testAPI {
	ta.now, ta.limits.perIP.now, ta.limits.perKey.now = time.Now, time.Now, time.Now
	return ta
}

// completedUpload uploads data whole and completes it.
func (ta *testAPI) completedUpload(t *testing.T, data []byte) string {
	t.Helper()
	u := ta.createUpload(t, "clip.mp4", len(data))
	for n, p := range parts(u, data) {
		if a := ta.putPart(t, u.ID, n, p); a.status != http.StatusOK {
			t.Fatalf("part %d: %d %s", n, a.status, a.body)
		}
	}
	if a := ta.do(t, http.MethodPost, "/v1/uploads/"+u.ID+"/complete", nil); a.status != http.StatusOK {
		t.Fatalf("complete: %d %s", a.status, a.body)
	}
	return u.ID
}

func (ta *testAPI) createJob(t *testing.T, req map[string]any, header ...string) jobResponse {
	t.Helper()
	a := ta.do(t, http.MethodPost, "/v1/jobs", mustJSON(t, req), header...)
	if a.status != http.StatusCreated {
		t.Fatalf("create job: %d %s", a.status, a.body)
	}
	var j jobResponse
	a.json(t, &j)
	return j
}

func (ta *testAPI) job(t *testing.T, id string) jobResponse {
	t.Helper()
	var j jobResponse
	ta.do(t, http.MethodGet, "/v1/jobs/"+id, nil).json(t, &j)
	return j
}

// waitJob waits for a job to end and returns it.
func (ta *testAPI) waitJob(t *testing.T, id string, within time.Duration) jobResponse {
	t.Helper()
	var j jobResponse
	fixture.Eventually(t, within, func() bool {
		j = ta.job(t, id)
		return terminal(j.Status)
	}, "job "+id+" ends")
	return j
}

func TestJobs(t *testing.T) {
	video := clip(t)
	for name, url := range stores(t) {
		t.Run(name, func(t *testing.T) {
			t.Run("mp4", func(t *testing.T) { jobMP4(t, url(t), video) })
			if name == "sqlite" { // the store's part is the same as mp4's; the encodes cost time
				t.Run("hls ladder", func(t *testing.T) { jobHLS(t, url(t), video, "h264-balanced", "h264") })
				t.Run("hevc hls ladder in fmp4", func(t *testing.T) { jobHLS(t, url(t), video, "hevc-fast", "hevc") })
				t.Run("auto", func(t *testing.T) { jobAuto(t, url(t), video) })
				t.Run("events", func(t *testing.T) { jobEvents(t, url(t), video) })
				t.Run("auto keeps the original", func(t *testing.T) { jobOriginal(t, url(t)) })
			}
			t.Run("cancel", func(t *testing.T) { jobCancel(t, url(t), video) })
			t.Run("stall", func(t *testing.T) { jobStall(t, url(t), video) })
			t.Run("pages", func(t *testing.T) { jobPages(t, url(t), video) })
			t.Run("restart resumes", func(t *testing.T) { jobRestart(t, url(t), video) })
			t.Run("webhooks", func(t *testing.T) { jobWebhooks(t, url(t), video) })
			t.Run("bad jobs", func(t *testing.T) { badJobs(t, url(t), video) })
			t.Run("url source", func(t *testing.T) { jobURL(t, url(t), video) })
		})
	}
}

func newJobAPI(t *testing.T, storeURL string, tr Transcoder, mutate func(*Config)) *testAPI {
	ta := newTestAPI(t, storeURL, func(c *Config) {
		c.Jobs.SegmentDuration = 2 * time.Second
		c.RateLimit = RateLimitConfig{} // the tests poll
		if mutate != nil {
			mutate(c)
		}
	})
	ta.deps.Transcoder = tr
	return ta.realTime()
}

func jobMP4(t *testing.T, url string, video []byte) {
	tr := &localTranscoder{}
	ta := newJobAPI(t, url, tr, nil)
	ta.run(t)
	id := ta.completedUpload(t, video)
	j := ta.createJob(t, map[string]any{"source": map[string]any{"type": "upload", "upload_id": id}, "profile": "h264-fast"})
	if j.Status != jobQueued || j.Source.Info == nil || j.Source.Info.Width != 640 {
		t.Fatalf("created %+v", j)
	}
	j = ta.waitJob(t, j.ID, time.Minute)
	if j.Status != jobCompleted || j.Result == nil || j.OutputURL == nil {
		t.Fatalf("job %+v error %v", j, j.Error)
	}
	r := j.Result
	if r.FinalArtifact != "output" || r.Output.Width != 640 || r.Output.Height != 360 || r.Output.VideoCodec != "h264" ||
		r.Output.AudioCodec != "aac" || r.Output.Frames != 240 || r.Passes != 1 || r.EffectiveProfile != "h264-veryfast-crf22" {
		t.Fatalf("result %+v", r)
	}
	if r.SSIM < 0.9 || r.SSIM > 1 || r.PSNR < 30 || r.BilledPixels != 640*360*240 || r.Output.Bytes <= 0 || len(r.Output.SHA256) != 64 ||
		r.AmountPaidWei != "0" {
		t.Fatalf("measures %+v", r)
	}
	if tr.calls.Load() != 4 {
		t.Fatalf("%d segments transcoded, want 4 of 2 s", tr.calls.Load())
	}
	n := 0
	tr.streams.Range(func(any, any) bool { n++; return true })
	if n != 0 {
		t.Fatalf("%d lanes not ended", n)
	}
	if j.Progress.Percent != 100 || j.Progress.FramesDone != 240 || j.Progress.FramesTotal != 240 {
		t.Fatalf("progress %+v", j.Progress)
	}
	// The download, whole and a range of it.
	a := ta.do(t, http.MethodGet, *j.OutputURL, nil)
	if a.status != http.StatusOK || int64(len(a.body)) != r.Output.Bytes || a.header.Get("Content-Type") != "video/mp4" {
		t.Fatalf("download: %d, %d bytes of %d", a.status, len(a.body), r.Output.Bytes)
	}
	path := filepath.Join(t.TempDir(), "out.mp4")
	if err := os.WriteFile(path, a.body, 0o600); err != nil {
		t.Fatal(err)
	}
	info, err := media.ProbeFile(t.Context(), "", path)
	if err != nil || info.Video.Frames != 240 || info.Duration < 7900*time.Millisecond {
		t.Fatalf("downloaded output: %+v %v", info, err)
	}
	part := ta.do(t, http.MethodGet, *j.OutputURL, nil, "Range", "bytes=100-199")
	if part.status != http.StatusPartialContent || string(part.body) != string(a.body[100:200]) {
		t.Fatalf("range: %d %d bytes", part.status, len(part.body))
	}
	if _, err := os.Stat(ta.files.work(j.ID)); !os.IsNotExist(err) {
		t.Fatalf("work files left: %v", err)
	}
}

func jobHLS(t *testing.T, url string, video []byte, profile, codec string) {
	ta := newJobAPI(t, url, &localTranscoder{}, nil)
	ta.run(t)
	id := ta.completedUpload(t, video)
	j := ta.createJob(t, map[string]any{
		"source": map[string]any{"type": "upload", "upload_id": id}, "profile": profile,
		"output": map[string]any{"container": "hls"},
	})
	j = ta.waitJob(t, j.ID, 2*time.Minute)
	// A 360p source makes a ladder of 360p and 240p.
	if j.Status != jobCompleted || j.Result.Output.Renditions != 2 || j.Result.Output.VideoCodec != codec {
		t.Fatalf("job %+v result %+v error %v", j, j.Result, derefErr(j.Error))
	}
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, ta.srv.URL+*j.OutputURL, nil)
	resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	play := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(play, "/v1/play/") {
		t.Fatalf("output of an HLS job: %d %q", resp.StatusCode, play)
	}
	// The ladder plays in a Go HLS reader, every rendition whole, without
	// a key.
	master := ta.do(t, http.MethodGet, play, nil)
	if master.status != http.StatusOK || strings.Count(string(master.body), "#EXT-X-STREAM-INF") != 2 {
		t.Fatalf("master: %d\n%s", master.status, master.body)
	}
	if p := fixture.PlayHLS(t, ta.srv.URL+play, 30*time.Second); p.VideoFrames != 240 {
		t.Fatalf("played the master: %+v", p)
	}
	base := strings.TrimSuffix(play, "master.m3u8")
	for _, line := range strings.Split(string(master.body), "\n") {
		if strings.HasSuffix(line, "/index.m3u8") {
			if p := fixture.PlayHLS(t, ta.srv.URL+base+line, 30*time.Second); p.VideoFrames != 240 || p.AudioFrames == 0 {
				t.Errorf("rendition %s: %+v", line, p)
			}
		}
	}
	bad := strings.Replace(play, j.ID+".", j.ID+".0", 1)
	if a := ta.do(t, http.MethodGet, bad, nil); a.status != http.StatusNotFound {
		t.Fatalf("a forged token: %d", a.status)
	}
}

func jobAuto(t *testing.T, url string, video []byte) {
	ta := newJobAPI(t, url, &localTranscoder{}, nil)
	ta.run(t)
	id := ta.completedUpload(t, video)
	j := ta.createJob(t, map[string]any{
		"source": map[string]any{"type": "upload", "upload_id": id}, "profile": "auto",
		"output": map[string]any{"target_height": 240},
	})
	j = ta.waitJob(t, j.ID, 2*time.Minute)
	r := j.Result
	if j.Status != jobCompleted || r == nil {
		t.Fatalf("job %+v error %v", j, j.Error)
	}
	// A 3 Mbit/s 360p source shrinks a lot at 240p and keeps its look.
	if r.FinalArtifact != "output" || r.Output.Height != 240 || r.SSIM < ta.cfg.Jobs.AutoSSIM || r.ReductionPercent < 50 ||
		r.CompressionRatio < 2 {
		t.Fatalf("auto result %+v", r)
	}
}

// jobOriginal: a source already squeezed hard (150 kbit/s at 360p) comes
// out of auto no smaller, so the answer is the original.
func jobOriginal(t *testing.T, url string) {
	lean, err := os.ReadFile(fixture.Clip(t, fixture.ClipSpec{
		Width: 640, Height: 360, FPS: 30, Duration: 4 * time.Second,
		GOP: 2 * time.Second, Format: "mp4", Bitrate: 150_000,
	}))
	if err != nil {
		t.Fatal(err)
	}
	ta := newJobAPI(t, url, &localTranscoder{}, nil)
	ta.run(t)
	id := ta.completedUpload(t, lean)
	j := ta.createJob(t, map[string]any{"source": map[string]any{"type": "upload", "upload_id": id}, "profile": "auto"})
	j = ta.waitJob(t, j.ID, 2*time.Minute)
	r := j.Result
	if j.Status != jobCompleted || r == nil || r.FinalArtifact != "original" || r.Output.Bytes != int64(len(lean)) || r.ReductionPercent != 0 {
		t.Fatalf("job %+v result %+v", j, r)
	}
	dl := ta.do(t, http.MethodGet, *j.OutputURL, nil)
	if dl.status != http.StatusOK || !bytes.Equal(dl.body, lean) {
		t.Fatalf("the download is not the original: %d, %d bytes", dl.status, len(dl.body))
	}
	// An HLS ladder is asked for its packaging: it is made whatever its size.
	h := ta.createJob(t, map[string]any{
		"source": map[string]any{"type": "upload", "upload_id": id}, "profile": "auto",
		"output": map[string]any{"container": "hls"},
	})
	h = ta.waitJob(t, h.ID, 2*time.Minute)
	if h.Status != jobCompleted || h.Result.FinalArtifact != "output" || h.Result.Output.Renditions < 1 {
		t.Fatalf("auto into HLS: %+v result %+v", h, h.Result)
	}
}

// jobEvents follows a job over server-sent events until it ends: the
// percent never goes back, and the last event is the completed job.
func jobEvents(t *testing.T, url string, video []byte) {
	ta := newJobAPI(t, url, &localTranscoder{}, nil)
	ta.run(t)
	id := ta.completedUpload(t, video)
	j := ta.createJob(t, map[string]any{"source": map[string]any{"type": "upload", "upload_id": id}, "profile": "h264-fast"})
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, ta.srv.URL+"/v1/jobs/"+j.ID+"/events", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("content type %q", resp.Header.Get("Content-Type"))
	}
	var events []jobResponse
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		data, ok := strings.CutPrefix(sc.Text(), "data: ")
		if !ok {
			continue
		}
		var ev jobResponse
		if err := json.Unmarshal([]byte(data), &ev); err != nil {
			t.Fatal(err)
		}
		if n := len(events); n > 0 && ev.Progress.Percent < events[n-1].Progress.Percent {
			t.Fatalf("progress went back: %v after %v", ev.Progress.Percent, events[n-1].Progress.Percent)
		}
		events = append(events, ev)
	}
	if len(events) < 3 || events[len(events)-1].Status != jobCompleted {
		t.Fatalf("%d events, the last %+v", len(events), events[len(events)-1])
	}
}

func jobCancel(t *testing.T, url string, video []byte) {
	tr := &localTranscoder{hold: true}
	ta := newJobAPI(t, url, tr, nil)
	ta.run(t)
	id := ta.completedUpload(t, video)
	j := ta.createJob(t, map[string]any{"source": map[string]any{"type": "upload", "upload_id": id}, "profile": "h264-fast"})
	fixture.Eventually(t, 30*time.Second, func() bool { return ta.job(t, j.ID).Status == jobEncoding }, "the job encodes")
	a := ta.do(t, http.MethodDelete, "/v1/jobs/"+j.ID, nil)
	if a.status != http.StatusOK {
		t.Fatalf("cancel: %d %s", a.status, a.body)
	}
	j = ta.waitJob(t, j.ID, 30*time.Second)
	if j.Status != jobCanceled || j.Error == nil || j.Retryable {
		t.Fatalf("after cancel %+v", j)
	}
	if _, err := os.Stat(ta.files.job(j.ID)); !os.IsNotExist(err) {
		t.Fatalf("a canceled job left its files: %v", err)
	}
	if a := ta.do(t, http.MethodDelete, "/v1/jobs/"+j.ID, nil); a.status != http.StatusConflict || a.errorCode(t) != codeNotCancelable {
		t.Fatalf("cancel again: %d %s", a.status, a.body)
	}
	if a := ta.do(t, http.MethodGet, "/v1/jobs/"+j.ID+"/output", nil); a.status != http.StatusConflict || a.errorCode(t) != codeOutputNotReady {
		t.Fatalf("output of a canceled job: %d %s", a.status, a.body)
	}
}

// jobStall: a network that never answers stalls every try; after the
// last the job fails, saying so.
func jobStall(t *testing.T, url string, video []byte) {
	ta := newJobAPI(t, url, &localTranscoder{hold: true}, func(c *Config) { c.Jobs.StallTimeout = time.Second })
	ta.run(t)
	id := ta.completedUpload(t, video)
	j := ta.createJob(t, map[string]any{"source": map[string]any{"type": "upload", "upload_id": id}, "profile": "h264-fast"})
	j = ta.waitJob(t, j.ID, 30*time.Second)
	if j.Status != jobFailed || j.Attempt != maxAttempts || j.Error == nil || !strings.Contains(*j.Error, "no progress") {
		t.Fatalf("stalled job %+v error %v", j, *j.Error)
	}
}

func jobPages(t *testing.T, url string, video []byte) {
	ta := newJobAPI(t, url, &localTranscoder{}, nil) // not run: the jobs stay queued
	id := ta.completedUpload(t, video)
	var ids []string
	for range 5 {
		ids = append(ids, ta.createJob(t, map[string]any{"source": map[string]any{"type": "upload", "upload_id": id}}).ID)
		time.Sleep(2 * time.Millisecond) //nolint:forbidigo // distinct creation times, so the order is known
	}
	var seen []string
	cursor := ""
	for page := 0; ; page++ {
		path := "/v1/jobs?limit=2&status=queued"
		if cursor != "" {
			path += "&cursor=" + cursor
		}
		var l listResponse
		ta.do(t, http.MethodGet, path, nil).json(t, &l)
		for _, j := range l.Jobs {
			seen = append(seen, j.ID)
		}
		if !l.HasMore {
			if l.NextCursor != nil || len(l.Jobs) != 1 || page != 2 {
				t.Fatalf("last page %+v on page %d", l, page)
			}
			break
		}
		cursor = *l.NextCursor
	}
	for i := range ids {
		if seen[i] != ids[len(ids)-1-i] {
			t.Fatalf("pages %v, want the jobs newest first %v", seen, ids)
		}
	}
	var none listResponse
	ta.do(t, http.MethodGet, "/v1/jobs?status=completed", nil).json(t, &none)
	if len(none.Jobs) != 0 || none.HasMore {
		t.Fatalf("completed jobs: %+v", none)
	}
	for _, q := range []string{"limit=0", "limit=101", "status=done", "cursor=bm9wZQ"} {
		if a := ta.do(t, http.MethodGet, "/v1/jobs?"+q, nil); a.status != http.StatusBadRequest {
			t.Fatalf("%s: %d %s", q, a.status, a.body)
		}
	}
}

// jobRestart stops the API in the middle of a job and starts another on
// the same store and media: the job resumes, and no segment is encoded
// twice.
func jobRestart(t *testing.T, url string, video []byte) {
	dir := filepath.Join(t.TempDir(), "media")
	mutate := func(c *Config) { c.MediaDir, c.Jobs.Parallel = dir, 1 }
	store := url
	// The first gateway encodes two segments; the third hangs until it
	// stops.
	first := &localTranscoder{after: func(ctx context.Context, n int64) {
		if n > 2 {
			<-ctx.Done()
		}
	}}
	ta := newJobAPI(t, store, first, mutate)
	stop := ta.run(t)
	id := ta.completedUpload(t, video)
	j := ta.createJob(t, map[string]any{"source": map[string]any{"type": "upload", "upload_id": id}, "profile": "h264-fast"})
	fixture.Eventually(t, time.Minute, func() bool {
		kept, err := ta.doneSegments(t.Context(), j.ID, 1)
		return err == nil && len(kept) == 2
	}, "two segments are encoded and measured")
	stop()
	if st := ta.job(t, j.ID).Status; terminal(st) {
		t.Fatalf("the job ended (%s) though its gateway stopped", st)
	}
	kept, err := ta.doneSegments(t.Context(), j.ID, 1)
	if err != nil || len(kept) != 2 {
		t.Fatalf("segments kept before the stop: %v (%v)", kept, err)
	}
	second := &localTranscoder{}
	tb := newJobAPI(t, store, second, mutate)
	tb.run(t)
	done := tb.waitJob(t, j.ID, time.Minute)
	if done.Status != jobCompleted || done.Attempt != 2 {
		t.Fatalf("resumed job %+v error %v", done, done.Error)
	}
	// The segments kept are not encoded again.
	if second.calls.Load() != 4-int64(len(kept)) {
		t.Fatalf("segments encoded after the restart: %d; %d of 4 were kept before", second.calls.Load(), len(kept))
	}
	if done.Result.Output.Frames != 240 {
		t.Fatalf("resumed output %+v", done.Result.Output)
	}
}

func badJobs(t *testing.T, url string, video []byte) {
	ta := newJobAPI(t, url, &localTranscoder{}, nil)
	id := ta.completedUpload(t, video)
	open := ta.createUpload(t, "open.mp4", 5000)
	for _, tt := range []struct {
		name   string
		req    map[string]any
		status int
		code   string
	}{
		{"unknown profile", map[string]any{"source": map[string]any{"type": "upload", "upload_id": id}, "profile": "best"}, 400, codeUnknownProfile},
		{"no source", map[string]any{"profile": "auto"}, 400, codeValidation},
		{"ftp source", map[string]any{"source": map[string]any{"type": "url", "url": "ftp://example.com/a.mp4"}}, 400, codeSourceURL},
		{"private source", map[string]any{"source": map[string]any{"type": "url", "url": "http://127.0.0.1:9/a.mp4"}}, 400, codeSourceURL},
		{"link-local source", map[string]any{"source": map[string]any{"type": "url", "url": "http://169.254.169.254/latest"}}, 400, codeSourceURL},
		// Issue #12 finding 10: shared address space (CGNAT) passed the old filter.
		{"cgnat source", map[string]any{"source": map[string]any{"type": "url", "url": "http://100.64.0.1/a.mp4"}}, 400, codeSourceURL},
		{"mapped link-local source", map[string]any{"source": map[string]any{"type": "url", "url": "http://[::ffff:169.254.169.254]/a.mp4"}}, 400, codeSourceURL},
		{"unknown upload", map[string]any{"source": map[string]any{"type": "upload", "upload_id": "upl_none"}}, 404, codeNotFound},
		{"upload not complete", map[string]any{"source": map[string]any{"type": "upload", "upload_id": open.ID}}, 409, codeUploadState},
		{"bad container", map[string]any{"source": map[string]any{"type": "upload", "upload_id": id}, "output": map[string]any{"container": "avi"}}, 400, codeValidation},
		{"unknown webhook", map[string]any{"source": map[string]any{"type": "upload", "upload_id": id}, "webhook_ids": []string{"wh_none"}}, 400, codeValidation},
	} {
		a := ta.do(t, http.MethodPost, "/v1/jobs", mustJSON(t, tt.req))
		if a.status != tt.status || a.errorCode(t) != tt.code {
			t.Fatalf("%s: %d %s, want %d %s", tt.name, a.status, a.body, tt.status, tt.code)
		}
	}
	var l listResponse
	ta.do(t, http.MethodGet, "/v1/jobs", nil).json(t, &l)
	if len(l.Jobs) != 0 {
		t.Fatalf("refused jobs were kept: %+v", l.Jobs)
	}
}

func derefErr(s *string) string {
	if s == nil {
		return "<none>"
	}
	return *s
}
