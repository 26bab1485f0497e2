package aiapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/castmesh/castmesh/ai/pipeline"
	"github.com/castmesh/castmesh/ai/pipeline/pipelinetest"
	"github.com/castmesh/castmesh/gateway/orchclient"
	"github.com/castmesh/castmesh/pkg/httpjson"
	"github.com/castmesh/castmesh/test/fixture"
)

func post(t *testing.T, url, contentType string, body []byte, header ...string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

func errCode(t *testing.T, body []byte) string {
	t.Helper()
	var e httpjson.ErrorBody
	if err := json.Unmarshal(body, &e); err != nil || e.Error.Code == "" || e.Error.Message == "" {
		t.Fatalf("not a JSON error: %s", body)
	}
	return e.Error.Code
}

func upscaleForm(t *testing.T, fields map[string]string) (string, []byte) {
	if fields == nil {
		fields = map[string]string{"prompt": "sharper", "model_id": ""}
	}
	return pipelinetest.Form(t, fields, pipelinetest.Image(pipelinetest.PNG(t, 16, 16)))
}

func TestBadInputNeverReachesAnOrchestrator(t *testing.T) {
	fixture.RequireTool(t, "ffprobe")
	o := &fakeOrch{addr: "o1", models: []orchclient.AIModel{
		model("upscale", "m", true, 2, 0),
		model("audio-to-text", "a", true, 1, 0), model("text-to-image", "t", true, 1, 0),
	}, answer: imageAnswer(1)}
	e := newEnv(t, func(c *Config) { c.MaxBodyBytes = 64 << 10 }, o)
	img := pipelinetest.PNG(t, 16, 16)
	tests := []struct {
		name, path, ct string
		body           []byte
		status         int
		code           string
	}{
		{"missing field", "/text-to-image", "application/json", []byte(`{"width":64}`), 400, "invalid_field"},
		{"wrong type", "/text-to-image", "application/json", []byte(`{"prompt":"a","width":"x"}`), 400, "invalid_field"},
		{"unknown model", "/text-to-image", "application/json", []byte(`{"prompt":"a","model_id":"nobody/has-this"}`), 400, "unknown_model"},
		{"wrong content type", "/upscale", "application/json", []byte(`{"prompt":"a"}`), 415, "unsupported_media_type"},
		{"oversized body", "/text-to-image", "application/json", append([]byte(`{"prompt":"`), bytes.Repeat([]byte("a"), 70<<10)...), 413, "body_too_large"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := post(t, e.srv.URL+tt.path, tt.ct, tt.body)
			if status != tt.status || errCode(t, body) != tt.code {
				t.Fatalf("%d %s", status, body)
			}
		})
	}
	forms := []struct {
		name, path string
		fields     map[string]string
		part       pipelinetest.Part
		status     int
		code       string
	}{
		{"image that is not an image", "/upscale", map[string]string{"prompt": "a", "model_id": ""}, pipelinetest.Image([]byte("not an image")), 400, "invalid_field"},
		{"empty audio", "/audio-to-text", map[string]string{"model_id": ""}, pipelinetest.Part{Name: "audio", FileName: "a.wav"}, 400, "invalid_field"},
		{"audio that is not audio", "/audio-to-text", map[string]string{"model_id": ""}, pipelinetest.Part{Name: "audio", FileName: "a.wav", Data: img}, 415, "unsupported_media"},
	}
	for _, tt := range forms {
		t.Run(tt.name, func(t *testing.T) {
			ct, body := pipelinetest.Form(t, tt.fields, tt.part)
			status, resp := post(t, e.srv.URL+tt.path, ct, body)
			if status != tt.status || errCode(t, resp) != tt.code {
				t.Fatalf("%d %s", status, resp)
			}
		})
	}
	if n := o.calls.Load(); n != 0 {
		t.Fatalf("the orchestrator was called %d times for bad requests", n)
	}
}

func TestWarmFirstAndRehosted(t *testing.T) {
	cold := &fakeOrch{addr: "cold", models: []orchclient.AIModel{model("upscale", "m", false, 4, 0)}, answer: imageAnswer(1)}
	warm := &fakeOrch{addr: "warm", models: []orchclient.AIModel{model("upscale", "m", true, 1, 0)}, answer: imageAnswer(2)}
	e := newEnv(t, nil, cold, warm)
	ct, body := upscaleForm(t, nil)
	status, resp := post(t, e.srv.URL+"/upscale", ct, body)
	if status != 200 {
		t.Fatalf("%d %s", status, resp)
	}
	var r pipeline.ImageResponse
	if err := json.Unmarshal(resp, &r); err != nil || len(r.Images) != 1 || r.Images[0].Seed != 2 {
		t.Fatalf("answer %s", resp)
	}
	if cold.calls.Load() != 0 || warm.calls.Load() != 1 {
		t.Fatalf("cold %d warm %d calls", cold.calls.Load(), warm.calls.Load())
	}
	// The file is re-hosted here.
	if !strings.HasPrefix(r.Images[0].URL, e.srv.URL+resultsPath) || !strings.HasSuffix(r.Images[0].URL, ".png") {
		t.Fatalf("url %s", r.Images[0].URL)
	}
	got, err := http.Get(r.Images[0].URL) //nolint:noctx // test
	if err != nil {
		t.Fatal(err)
	}
	defer got.Body.Close()
	data, _ := io.ReadAll(got.Body)
	if got.StatusCode != 200 || got.Header.Get("Content-Type") != "image/png" || string(data) != "\x89PNG\r\n\x1a\n fake" {
		t.Fatalf("result %d %q %q", got.StatusCode, got.Header.Get("Content-Type"), data)
	}
	// Or inline, as the caller asks.
	status, resp = post(t, e.srv.URL+"/upscale?media=data", ct, body)
	if status != 200 || !strings.Contains(string(resp), `"url":"data:image/png;base64,`) {
		t.Fatalf("%d %s", status, resp)
	}
}

func TestFullMeansQuick503(t *testing.T) {
	full := &fakeOrch{addr: "full", models: []orchclient.AIModel{model("upscale", "m", true, 1, 1)}, answer: imageAnswer(1)}
	e := newEnv(t, func(c *Config) { c.RetryTimeout = 30 * time.Second }, full)
	ct, body := upscaleForm(t, nil)
	start := time.Now()
	status, resp := post(t, e.srv.URL+"/upscale", ct, body)
	if status != 503 || errCode(t, resp) != "no_orchestrator" || full.calls.Load() != 0 {
		t.Fatalf("%d %s, %d calls", status, resp, full.calls.Load())
	}
	if took := time.Since(start); took > 10*time.Second {
		t.Fatalf("503 took %s: it must not wait out the retry timeout", took)
	}
}

func TestRetriesAnotherOrchestrator(t *testing.T) {
	broken := &fakeOrch{
		addr: "a-broken", models: []orchclient.AIModel{model("upscale", "m", true, 1, 0)},
		answer: func(orchclient.AIRequest, orchclient.AIOutput) error { return orchclient.ErrFailed },
	}
	good := &fakeOrch{addr: "b-good", models: []orchclient.AIModel{model("upscale", "m", true, 1, 0)}, answer: imageAnswer(7)}
	e := newEnv(t, nil, broken, good)
	ct, body := upscaleForm(t, nil)
	status, resp := post(t, e.srv.URL+"/upscale", ct, body)
	if status != 200 || broken.calls.Load() != 1 || good.calls.Load() != 1 {
		t.Fatalf("%d %s; calls %d %d", status, resp, broken.calls.Load(), good.calls.Load())
	}
	// An orchestrator's bad-input answer is the caller's, at once.
	refusing := &fakeOrch{
		addr: "a", models: []orchclient.AIModel{model("upscale", "m", true, 1, 0)},
		answer: func(orchclient.AIRequest, orchclient.AIOutput) error {
			return errors.Join(orchclient.ErrBadInput, errors.New("pipeline configured with m but called with x"))
		},
	}
	spare := &fakeOrch{addr: "b", models: []orchclient.AIModel{model("upscale", "m", true, 1, 0)}, answer: imageAnswer(7)}
	e = newEnv(t, nil, refusing, spare)
	status, resp = post(t, e.srv.URL+"/upscale", ct, body)
	if status != 400 || errCode(t, resp) != "invalid_request" || spare.calls.Load() != 0 {
		t.Fatalf("%d %s; spare called %d", status, resp, spare.calls.Load())
	}
}

func TestLLMStreamIsRelayed(t *testing.T) {
	o := &fakeOrch{
		addr: "o", models: []orchclient.AIModel{model("llm", "m", true, 1, 0)},
		answer: func(_ orchclient.AIRequest, out orchclient.AIOutput) error {
			for _, ev := range []string{`data: {"choices":[{"index":0,"delta":{"role":"assistant","content":"hi"}}]}` + "\n\n", "data: [DONE]\n\n"} {
				if err := out("text/event-stream", []byte(ev)); err != nil {
					return err
				}
			}
			return nil
		},
	}
	e := newEnv(t, nil, o)
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, e.srv.URL+"/llm",
		strings.NewReader(`{"messages":[{"role":"user","content":"hello"}],"stream":true}`))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") ||
		!strings.HasSuffix(string(b), "data: [DONE]\n\n") {
		t.Fatalf("%d %q %s", resp.StatusCode, resp.Header.Get("Content-Type"), b)
	}
}

func TestAsyncImageToVideo(t *testing.T) {
	release := make(chan struct{})
	o := &fakeOrch{
		addr: "o", models: []orchclient.AIModel{model("image-to-video", "v", true, 1, 0)},
		answer: func(req orchclient.AIRequest, out orchclient.AIOutput) error {
			<-release
			return imageAnswer(3)(req, out)
		},
	}
	e := newEnv(t, nil, o)
	ct, body := pipelinetest.Form(t, map[string]string{"model_id": ""}, pipelinetest.Image(pipelinetest.PNG(t, 16, 16)))
	status, resp := post(t, e.srv.URL+"/image-to-video", ct, body, "Prefer", "respond-async")
	var acc struct {
		RequestID string `json:"request_id"`
	}
	if status != 202 || json.Unmarshal(resp, &acc) != nil || acc.RequestID == "" {
		t.Fatalf("%d %s", status, resp)
	}
	poll := func() resultResponse {
		status, resp := post(t, e.srv.URL+"/image-to-video/result", "application/json", []byte(`{"request_id":"`+acc.RequestID+`"}`))
		var r resultResponse
		if status != 200 || json.Unmarshal(resp, &r) != nil {
			t.Fatalf("%d %s", status, resp)
		}
		return r
	}
	if r := poll(); r.Status != "processing" {
		t.Fatalf("status %s", r.Status)
	}
	close(release)
	fixture.Eventually(t, 5*time.Second, func() bool { return poll().Status == "complete" })
	var img pipeline.ImageResponse
	if err := json.Unmarshal(poll().Result, &img); err != nil || len(img.Images) != 1 || img.Images[0].Seed != 3 {
		t.Fatalf("result %s", poll().Result)
	}
	if status, resp := post(t, e.srv.URL+"/image-to-video/result", "application/json", []byte(`{"request_id":"nope"}`)); status != 404 {
		t.Fatalf("%d %s", status, resp)
	}
}
