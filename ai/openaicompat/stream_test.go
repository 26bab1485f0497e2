package openaicompat

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/castmesh/castmesh/ai/pipeline"
)

// collect is an emit function that keeps what it is given.
type collect struct{ got []pipeline.LLMResponse }

func (c *collect) emit(r pipeline.LLMResponse) error {
	c.got = append(c.got, r)
	return nil
}

func TestStream(t *testing.T) {
	tests := []struct {
		name   string
		usage  bool
		events []string
		finish string
		want   pipeline.LLMTokenUsage
	}{
		{
			"with usage", true,
			[]string{chunk("Hel"), chunk("lo"), finishStop, usageEvent, done},
			"stop",
			pipeline.LLMTokenUsage{PromptTokens: 5, CompletionTokens: 3, TotalTokens: 8},
		},
		{"without usage", false, []string{chunk("Hel"), chunk("lo"), finishStop, done}, "stop", pipeline.LLMTokenUsage{}},
		{"crlf, comments, role-only first chunk", true, []string{
			": keep-alive\r\n\r\n",
			strings.ReplaceAll(`data: {"id":"c1","created":7,"choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}`, "\n", "") + "\r\n\r\n",
			strings.ReplaceAll(chunk("Hel"), "\n", "\r\n"), chunk("lo"),
			`data: {"id":"c1","created":7,"choices":[{"index":0,"delta":{},"finish_reason":"length"}]}` + "\n\n", done,
		}, "length", pipeline.LLMTokenUsage{}},
		{"no [DONE] after the finish", false, []string{chunk("Hel"), chunk("lo"), finishStop}, "stop", pipeline.LLMTokenUsage{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, got := serve(t, func(c *Config) { c.StreamUsage = tt.usage }, func(w http.ResponseWriter, _ *http.Request, _ map[string]any) {
				sse(w, tt.events...)
			})
			var c collect
			out, err := m.LLM(t.Context(), chat(true), c.emit)
			if err != nil {
				t.Fatal(err)
			}
			req := <-got
			if _, ok := req["stream_options"]; req["stream"] != true || ok != tt.usage {
				t.Errorf("sent stream %v, stream_options %v", req["stream"], req["stream_options"])
			}
			checkStream(t, c.got, out, tt.finish, tt.want)
		})
	}
}

// checkStream checks the emitted chunks spell "Hello" in deltas and end
// with the returned response.
func checkStream(t *testing.T, got []pipeline.LLMResponse, last pipeline.LLMResponse, finish string, usage pipeline.LLMTokenUsage) {
	t.Helper()
	if len(got) != 3 || !sameResponse(got[2], last) {
		t.Fatalf("emitted %+v, returned %+v", got, last)
	}
	want := []pipeline.LLMResponse{
		{ID: "c1", Model: "test/model", Created: 7, Choices: []pipeline.LLMChoice{{Delta: &pipeline.LLMMessage{Role: "assistant", Content: "Hel"}}}},
		{ID: "c1", Model: "test/model", Created: 7, Choices: []pipeline.LLMChoice{{Delta: &pipeline.LLMMessage{Role: "assistant", Content: "lo"}}}},
		{ID: "c1", Model: "test/model", Created: 7, Usage: usage, Choices: []pipeline.LLMChoice{{FinishReason: finish, Delta: &pipeline.LLMMessage{Role: "assistant"}}}},
	}
	for i := range want {
		if !sameResponse(got[i], want[i]) {
			t.Errorf("chunk %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestStreamFails(t *testing.T) {
	tests := []struct {
		name   string
		events []string
		want   error
		says   string
	}{
		{"cut", []string{chunk("Hel")}, ErrCut, ""},
		{"error event", []string{chunk("Hel"), `data: {"error":{"object":"error","message":"engine died"}}` + "\n\n"}, nil, "engine died"},
		{"bad json", []string{"data: {oops\n\n"}, nil, "bad event"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, _ := serve(t, nil, func(w http.ResponseWriter, _ *http.Request, _ map[string]any) { sse(w, tt.events...) })
			var c collect
			_, err := m.LLM(t.Context(), chat(true), c.emit)
			if err == nil || (tt.want != nil && !errors.Is(err, tt.want)) || !strings.Contains(err.Error(), tt.says) || pipeline.IsInputError(err) {
				t.Fatalf("err = %v, want %v saying %q", err, tt.want, tt.says)
			}
		})
	}
}

// stall sends one chunk, then nothing until the client leaves.
func stall(w http.ResponseWriter, r *http.Request, _ map[string]any) {
	sse(w, chunk("Hel"))
	<-r.Context().Done()
}

func TestStreamCanceled(t *testing.T) {
	m, _ := serve(t, nil, stall)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	start := time.Now()
	_, err := m.LLM(ctx, chat(true), func(pipeline.LLMResponse) error {
		cancel() // the caller leaves after the first chunk
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("returned after %s", d)
	}
}

func TestStreamIdle(t *testing.T) {
	m, _ := serve(t, func(c *Config) { c.IdleTimeout = 100 * time.Millisecond }, stall)
	var c collect
	_, err := m.LLM(t.Context(), chat(true), c.emit)
	if !errors.Is(err, ErrIdle) || len(c.got) != 1 {
		t.Fatalf("err = %v after %d chunks, want ErrIdle after 1", err, len(c.got))
	}
}

func TestStreamEmitFails(t *testing.T) {
	m, _ := serve(t, nil, func(w http.ResponseWriter, _ *http.Request, _ map[string]any) {
		sse(w, chunk("Hel"), chunk("lo"), finishStop, done)
	})
	gone := errors.New("caller gone")
	n := 0
	_, err := m.LLM(t.Context(), chat(true), func(pipeline.LLMResponse) error {
		n++
		return gone
	})
	if !errors.Is(err, gone) || n != 1 {
		t.Fatalf("err = %v after %d calls, want the emit error after 1", err, n)
	}
}
