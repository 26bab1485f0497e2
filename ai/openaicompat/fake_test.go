package openaicompat

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
)

const apiKey = "sk-test"

// upstream is a fake OpenAI-compatible server: it checks the request's
// path, method and key, decodes the body and has answer reply.
type upstream struct {
	t      *testing.T
	answer func(w http.ResponseWriter, r *http.Request, req map[string]any)
	got    chan map[string]any
}

func (u *upstream) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/v1/chat/completions" || r.Header.Get("Authorization") != "Bearer "+apiKey {
		http.Error(w, `{"error":{"message":"unexpected request"}}`, http.StatusNotFound)
		return
	}
	var req map[string]any
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, `{"error":{"message":"bad json"}}`, http.StatusBadRequest)
		return
	}
	select {
	case u.got <- req:
	default:
	}
	u.answer(w, r, req)
}

// serve starts a fake upstream and returns a model that asks it, and the
// channel its requests arrive on.
func serve(t *testing.T, edit func(*Config), answer func(w http.ResponseWriter, r *http.Request, req map[string]any)) (*Model, chan map[string]any) {
	t.Helper()
	u := &upstream{t: t, answer: answer, got: make(chan map[string]any, 1)}
	srv := httptest.NewServer(u)
	t.Cleanup(srv.Close)
	cfg := DefaultConfig()
	cfg.BaseURL, cfg.APIKey, cfg.Model = srv.URL+"/v1/", apiKey, "test/model"
	if edit != nil {
		edit(&cfg)
	}
	m, err := New(cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(m.client.CloseIdleConnections)
	return m, u.got
}

// writeJSON answers with a JSON body.
func writeJSON(w http.ResponseWriter, code int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	fmt.Fprint(w, body)
}

// sse answers with events, each written and flushed at once.
func sse(w http.ResponseWriter, events ...string) {
	w.Header().Set("Content-Type", "text/event-stream")
	for _, ev := range events {
		fmt.Fprint(w, ev)
		w.(http.Flusher).Flush()
	}
}

// chunk is a streamed chunk's event carrying content.
func chunk(content string) string {
	return fmt.Sprintf(`data: {"id":"c1","object":"chat.completion.chunk","created":7,"model":"m","choices":[{"index":0,"delta":{"content":%q},"finish_reason":null}]}`+"\n\n", content)
}

// The end of an OpenAI stream: the finish reason, the usage, [DONE].
const (
	finishStop = `data: {"id":"c1","object":"chat.completion.chunk","created":7,"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}` + "\n\n"
	usageEvent = `data: {"id":"c1","object":"chat.completion.chunk","created":7,"choices":[],"usage":{"prompt_tokens":5,"completion_tokens":3,"total_tokens":8}}` + "\n\n"
	done       = "data: [DONE]\n\n"
)
