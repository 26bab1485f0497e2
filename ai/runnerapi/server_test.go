package runnerapi_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/castmesh/castmesh/ai/pipeline"
	"github.com/castmesh/castmesh/ai/pipeline/pipelinetest"
	"github.com/castmesh/castmesh/ai/runnerapi"
	"github.com/castmesh/castmesh/ai/runnerclient"
	"github.com/castmesh/castmesh/test/fixture"
)

// upscaler is a fake model: it echoes the input image, or fails as told.
type upscaler struct {
	fail    error
	release chan struct{}
}

func (u *upscaler) Pipeline() pipeline.Name { return pipeline.Upscale }
func (u *upscaler) ModelID() string         { return "test/echo" }

func (u *upscaler) Load(ctx context.Context) error {
	if u.release != nil {
		select {
		case <-u.release:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

func (u *upscaler) Upscale(_ context.Context, p *pipeline.UpscaleParams) (pipeline.Media, error) {
	if u.fail != nil {
		return pipeline.Media{}, u.fail
	}
	return pipeline.Media{Data: p.Image.Data, MIME: "image/png", Seed: 42}, nil
}

type chat struct{ fail error }

func (chat) Pipeline() pipeline.Name { return pipeline.LLM }
func (chat) ModelID() string         { return "test/counter" }

// LLM answers "1 2 3", a word per chunk when streaming.
func (c chat) LLM(_ context.Context, p *pipeline.LLMParams, emit func(pipeline.LLMResponse) error) (pipeline.LLMResponse, error) {
	resp := pipeline.LLMResponse{ID: "x", Model: c.ModelID(), Created: 1}
	if p.Stream {
		for i := 1; i <= 3; i++ {
			if i == 3 && c.fail != nil {
				return resp, c.fail
			}
			resp.Choices = []pipeline.LLMChoice{{Delta: &pipeline.LLMMessage{Role: "assistant", Content: fmt.Sprint(i)}}}
			if err := emit(resp); err != nil {
				return resp, err
			}
		}
		return resp, nil
	}
	resp.Choices = []pipeline.LLMChoice{{FinishReason: "stop", Message: &pipeline.LLMMessage{Role: "assistant", Content: "1 2 3"}}}
	return resp, nil
}

func serve(t *testing.T, cfg runnerapi.Config, m pipeline.Model) (*runnerapi.Server, *runnerclient.Client) {
	t.Helper()
	s, err := runnerapi.New(cfg, m, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { _ = s.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	c, err := runnerclient.New(runnerclient.Config{URL: srv.URL, Token: cfg.Token, Timeout: 10e9})
	if err != nil {
		t.Fatal(err)
	}
	return s, c
}

func upscaleBody(t *testing.T, fields map[string]string) (string, []byte) {
	if fields == nil {
		fields = map[string]string{"prompt": "x"}
	}
	return pipelinetest.Form(t, fields, pipelinetest.Image(pipelinetest.PNG(t, 8, 8)))
}

func TestUpscaleAnswer(t *testing.T) {
	_, c := serve(t, runnerapi.DefaultConfig(), &upscaler{})
	ct, body := upscaleBody(t, nil)
	resp, err := c.Generate(t.Context(), pipeline.Upscale, ct, body)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	r, err := pipeline.DecodeResponse(pipeline.Upscale, b)
	if err != nil {
		t.Fatal(err)
	}
	img := r.(*pipeline.ImageResponse).Images[0]
	if _, data, err := pipeline.ParseDataURL(img.URL); err != nil || img.Seed != 42 || len(data) == 0 {
		t.Fatalf("answer %s: %v", b, err)
	}
	v, err := c.Version(t.Context())
	if err != nil || v.Pipeline != "upscale" || v.ModelID != "test/echo" || v.Version == "" {
		t.Fatalf("version %+v %v", v, err)
	}
}

func TestErrorShapes(t *testing.T) {
	tests := []struct {
		name   string
		model  *upscaler
		cfg    func(*runnerapi.Config)
		fields map[string]string
		body   func(t *testing.T) (string, []byte)
		status int
		input  bool // the caller's fault
	}{
		{name: "wrong model", model: &upscaler{}, fields: map[string]string{"prompt": "x", "model_id": "other"}, status: 400, input: true},
		{name: "missing field", model: &upscaler{}, fields: map[string]string{"seed": "1"}, status: 422, input: true},
		{name: "bad input", model: &upscaler{fail: fmt.Errorf("%w: too dark", pipeline.ErrBadInput)}, status: 400, input: true},
		{name: "unsupported media", model: &upscaler{fail: fmt.Errorf("%w: webm", pipeline.ErrUnsupportedMedia)}, status: 415, input: true},
		{name: "model crash", model: &upscaler{fail: errors.New("segfault")}, status: 500},
		{name: "too big", model: &upscaler{}, cfg: func(c *runnerapi.Config) { c.MaxBodyBytes = 100 }, status: 413, input: true},
		{name: "not multipart", model: &upscaler{}, body: func(*testing.T) (string, []byte) {
			return "application/json", []byte(`{}`)
		}, status: 422, input: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := runnerapi.DefaultConfig()
			if tt.cfg != nil {
				tt.cfg(&cfg)
			}
			_, c := serve(t, cfg, tt.model)
			ct, body := upscaleBody(t, tt.fields)
			if tt.body != nil {
				ct, body = tt.body(t)
			}
			_, err := c.Generate(t.Context(), pipeline.Upscale, ct, body)
			var re *runnerclient.Error
			if !errors.As(err, &re) || re.Status != tt.status || re.Msg == "" {
				t.Fatalf("got %v, want status %d", err, tt.status)
			}
			if pipeline.IsInputError(err) != tt.input {
				t.Fatalf("%v: input error %v, want %v", err, pipeline.IsInputError(err), tt.input)
			}
		})
	}
}

func TestAuthAndHealth(t *testing.T) {
	cfg := runnerapi.DefaultConfig()
	cfg.Token = "s3cret"
	m := &upscaler{release: make(chan struct{})}
	s, c := serve(t, cfg, m)
	if h, err := c.Health(t.Context()); err != nil || h != runnerapi.HealthLoading {
		t.Fatalf("health while loading: %q %v", h, err)
	}
	close(m.release)
	fixture.Eventually(t, 5*time.Second, func() bool { return s.Health() == runnerapi.HealthOK }, "the model to load")
	if h, err := c.Health(t.Context()); err != nil || h != runnerapi.HealthOK {
		t.Fatalf("health: %q %v", h, err)
	}
	anon, _ := runnerclient.New(runnerclient.Config{URL: c.URL(), Timeout: 10e9})
	_, err := anon.Health(t.Context())
	var re *runnerclient.Error
	if !errors.As(err, &re) || re.Status != http.StatusUnauthorized {
		t.Fatalf("no token: %v", err)
	}
}

func TestLLMStream(t *testing.T) {
	_, c := serve(t, runnerapi.DefaultConfig(), chat{})
	resp, err := c.Generate(t.Context(), pipeline.LLM, "application/json",
		[]byte(`{"messages":[{"role":"user","content":"count"}],"stream":true}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if !strings.HasPrefix(resp.ContentType, "text/event-stream") {
		t.Fatalf("content type %q", resp.ContentType)
	}
	var got []string
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		data, ok := strings.CutPrefix(sc.Text(), "data: ")
		if !ok {
			continue
		}
		if data == "[DONE]" {
			got = append(got, data)
			break
		}
		var chunk pipeline.LLMResponse
		if err := json.Unmarshal([]byte(data), &chunk); err != nil {
			t.Fatal(err)
		}
		got = append(got, chunk.Choices[0].Delta.Content)
	}
	if strings.Join(got, ",") != "1,2,3,[DONE]" {
		t.Fatalf("events %v", got)
	}

	// An error mid-stream is an event, then [DONE].
	_, c = serve(t, runnerapi.DefaultConfig(), chat{fail: errors.New("oom")})
	resp, err = c.Generate(t.Context(), pipeline.LLM, "application/json",
		[]byte(`{"messages":[{"role":"user","content":"count"}],"stream":true}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if !strings.Contains(string(b), `data: {"error":"oom"}`) || !strings.HasSuffix(string(b), "data: [DONE]\n\n") {
		t.Fatalf("stream %s", b)
	}
}
