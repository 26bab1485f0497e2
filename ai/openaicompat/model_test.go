package openaicompat

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/castmesh/castmesh/ai/pipeline"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func chat(stream bool) *pipeline.LLMParams {
	return &pipeline.LLMParams{
		Messages:    []pipeline.LLMMessage{{Role: "user", Content: "Say hi"}},
		Temperature: 0.7, MaxTokens: 256, TopP: 1, TopK: -1, Stream: stream,
	}
}

func TestWhole(t *testing.T) {
	m, got := serve(t, nil, func(w http.ResponseWriter, _ *http.Request, _ map[string]any) {
		writeJSON(w, 200, `{"id":"chatcmpl-1","object":"chat.completion","created":1700000000,"model":"upstream-name",
			"choices":[{"index":0,"message":{"role":"assistant","content":"Hi there!"},"finish_reason":"length"}],
			"usage":{"prompt_tokens":9,"completion_tokens":3,"total_tokens":12}}`)
	})
	out, err := m.LLM(t.Context(), chat(false), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := pipeline.LLMResponse{
		ID: "chatcmpl-1", Model: "test/model", Created: 1700000000,
		Usage:   pipeline.LLMTokenUsage{PromptTokens: 9, CompletionTokens: 3, TotalTokens: 12},
		Choices: []pipeline.LLMChoice{{FinishReason: "length", Message: &pipeline.LLMMessage{Role: "assistant", Content: "Hi there!"}}},
	}
	if !sameResponse(out, want) {
		t.Errorf("got %+v, want %+v", out, want)
	}
	req := <-got
	for key, v := range map[string]any{"model": "test/model", "temperature": 0.7, "max_tokens": 256.0, "top_p": 1.0} {
		if req[key] != v {
			t.Errorf("sent %s = %v, want %v", key, req[key], v)
		}
	}
	for _, key := range []string{"top_k", "stream", "stream_options"} {
		if _, ok := req[key]; ok {
			t.Errorf("sent %s", key)
		}
	}
}

func TestTopK(t *testing.T) {
	m, got := serve(t, nil, func(w http.ResponseWriter, _ *http.Request, _ map[string]any) {
		writeJSON(w, 200, `{"choices":[{"index":0,"message":{"role":"assistant","content":null}}]}`)
	})
	p := chat(false)
	p.TopK = 40
	out, err := m.LLM(t.Context(), p, nil)
	if err != nil {
		t.Fatal(err)
	}
	if req := <-got; req["top_k"] != 40.0 {
		t.Errorf("sent top_k %v", req["top_k"])
	}
	if c := out.Choices[0]; c.FinishReason != "stop" || c.Message.Content != "" {
		t.Errorf("choice %+v", c)
	}
}

func sameResponse(a, b pipeline.LLMResponse) bool {
	if a.ID != b.ID || a.Model != b.Model || a.Created != b.Created || a.Usage != b.Usage || len(a.Choices) != len(b.Choices) {
		return false
	}
	for i := range a.Choices {
		x, y := a.Choices[i], b.Choices[i]
		if x.Index != y.Index || x.FinishReason != y.FinishReason || !sameMessage(x.Delta, y.Delta) || !sameMessage(x.Message, y.Message) {
			return false
		}
	}
	return true
}

func sameMessage(a, b *pipeline.LLMMessage) bool {
	return (a == nil) == (b == nil) && (a == nil || *a == *b)
}

func TestWrongRequest(t *testing.T) {
	m, _ := serve(t, nil, nil)
	p := chat(false)
	p.ModelID = "other/model"
	if _, err := m.LLM(t.Context(), p, nil); !errors.Is(err, pipeline.ErrWrongModel) {
		t.Errorf("wrong model: %v", err)
	}
	p = chat(false)
	p.Messages = nil
	if _, err := m.LLM(t.Context(), p, nil); !errors.Is(err, pipeline.ErrBadInput) {
		t.Errorf("no messages: %v", err)
	}
}

func TestStatus(t *testing.T) {
	tests := []struct {
		code     int
		body     string
		badInput bool
		msg      string
	}{
		{400, `{"error":{"message":"This model's maximum context length is 8192 tokens","type":"invalid_request_error"}}`, true, "maximum context length"},
		{422, `{"object":"error","message":"top_k must be -1 or at least 1","code":422}`, true, "top_k must be"},
		{400, `plain text complaint`, true, "plain text complaint"},
		{401, `{"error":{"message":"Incorrect API key provided"}}`, false, "Incorrect API key"},
		{429, `{"error":"rate limited"}`, false, "rate limited"},
		{500, `{"detail":"CUDA error"}`, false, "CUDA error"},
		{503, ``, false, "503"},
	}
	for _, tt := range tests {
		for _, stream := range []bool{false, true} {
			m, _ := serve(t, nil, func(w http.ResponseWriter, _ *http.Request, _ map[string]any) {
				writeJSON(w, tt.code, tt.body)
			})
			_, err := m.LLM(t.Context(), chat(stream), func(pipeline.LLMResponse) error { return nil })
			var se *StatusError
			if !errors.As(err, &se) || se.Code != tt.code || errors.Is(err, pipeline.ErrBadInput) != tt.badInput ||
				!strings.Contains(err.Error(), tt.msg) {
				t.Errorf("%d (stream %v): err = %v; want bad input %v, saying %q", tt.code, stream, err, tt.badInput, tt.msg)
			}
		}
	}
}

func TestUnreachable(t *testing.T) {
	var lc net.ListenConfig
	l, err := lc.Listen(t.Context(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	cfg := DefaultConfig()
	cfg.BaseURL = "http://" + addr + "/v1"
	m, err := New(cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	_, err = m.LLM(t.Context(), chat(false), nil)
	if err == nil || pipeline.IsInputError(err) {
		t.Fatalf("err = %v, want a plain error", err)
	}
}

func TestTimeout(t *testing.T) {
	m, _ := serve(t, func(c *Config) { c.Timeout = 50 * time.Millisecond }, func(_ http.ResponseWriter, r *http.Request, _ map[string]any) {
		<-r.Context().Done()
	})
	_, err := m.LLM(t.Context(), chat(false), nil)
	if !errors.Is(err, context.DeadlineExceeded) || pipeline.IsInputError(err) {
		t.Fatalf("err = %v, want a deadline", err)
	}
}

func TestTooBig(t *testing.T) {
	m, _ := serve(t, func(c *Config) { c.MaxMessageBytes = 100 }, func(w http.ResponseWriter, _ *http.Request, _ map[string]any) {
		writeJSON(w, 200, `{"choices":[{"index":0,"message":{"role":"assistant","content":"`+strings.Repeat("x", 200)+`"}}]}`)
	})
	if _, err := m.LLM(t.Context(), chat(false), nil); !errors.Is(err, ErrTooBig) {
		t.Fatalf("err = %v, want ErrTooBig", err)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Config)
		key  string
	}{
		{"defaults", func(*Config) {}, ""},
		{"no url", func(c *Config) { c.BaseURL = "" }, "base_url"},
		{"ftp url", func(c *Config) { c.BaseURL = "ftp://host/v1" }, "base_url"},
		{"no model", func(c *Config) { c.Model = "" }, "model"},
		{"no connect timeout", func(c *Config) { c.ConnectTimeout = 0 }, "connect_timeout"},
		{"no timeout", func(c *Config) { c.Timeout = 0 }, "timeout"},
		{"no idle timeout", func(c *Config) { c.IdleTimeout = 0 }, "idle_timeout"},
		{"no size", func(c *Config) { c.MaxMessageBytes = 0 }, "max_message_bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := DefaultConfig()
			tt.edit(&cfg)
			err := cfg.Validate()
			if (tt.key == "") != (err == nil) || (err != nil && !strings.HasPrefix(err.Error(), tt.key)) {
				t.Fatalf("Validate = %v, want one naming %q", err, tt.key)
			}
		})
	}
}
