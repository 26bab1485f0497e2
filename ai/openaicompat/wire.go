package openaicompat

import (
	"encoding/json"

	"github.com/castmesh/castmesh/ai/pipeline"
)

// The OpenAI Chat Completions API's bodies, as far as this package reads
// and writes them.

// chatRequest is POST /chat/completions's body.
type chatRequest struct {
	Model       string                `json:"model"`
	Messages    []pipeline.LLMMessage `json:"messages"`
	Temperature float64               `json:"temperature"`
	MaxTokens   int                   `json:"max_tokens,omitempty"`
	TopP        float64               `json:"top_p,omitempty"`
	// TopK is not OpenAI's; vLLM, llama.cpp and Ollama read it.
	TopK          int            `json:"top_k,omitempty"`
	Stream        bool           `json:"stream,omitempty"`
	StreamOptions *streamOptions `json:"stream_options,omitempty"`
}

type streamOptions struct {
	IncludeUsage bool `json:"include_usage"`
}

// chatResponse is a whole answer (choices[].message) or one streamed chunk
// (choices[].delta; with include_usage, a last chunk with usage and no
// choices). Error is set instead in an error event some servers send
// mid-stream.
type chatResponse struct {
	ID      string                  `json:"id"`
	Created int64                   `json:"created"`
	Choices []chatChoice            `json:"choices"`
	Usage   *pipeline.LLMTokenUsage `json:"usage"`
	Error   json.RawMessage         `json:"error"`
}

type chatChoice struct {
	Index        int          `json:"index"`
	Message      *chatMessage `json:"message"`
	Delta        *chatMessage `json:"delta"`
	FinishReason *string      `json:"finish_reason"`
}

// chatMessage's content is null in answers that only call tools.
type chatMessage struct {
	Role    string  `json:"role"`
	Content *string `json:"content"`
}

// newRequest is the upstream request for p.
func newRequest(p *pipeline.LLMParams, model string, stream, usage bool) chatRequest {
	req := chatRequest{
		Model: model, Messages: p.Messages, Temperature: p.Temperature,
		MaxTokens: max(p.MaxTokens, 0), TopP: max(p.TopP, 0), TopK: max(p.TopK, 0),
		Stream: stream,
	}
	if stream && usage {
		req.StreamOptions = &streamOptions{IncludeUsage: true}
	}
	return req
}

// choice is the first choice's index 0, if any.
func (r *chatResponse) choice() (chatChoice, bool) {
	for _, c := range r.Choices {
		if c.Index == 0 {
			return c, true
		}
	}
	return chatChoice{}, false
}

// errorMessage reads an upstream error body: OpenAI's {"error":
// {"message"}}, {"error": "…"}, vLLM's older {"message"}, or FastAPI's
// {"detail"}; otherwise the body itself.
func errorMessage(body []byte) string {
	var e struct {
		Error   json.RawMessage `json:"error"`
		Message string          `json:"message"`
		Detail  json.RawMessage `json:"detail"`
	}
	if json.Unmarshal(body, &e) == nil {
		var nested struct {
			Message string `json:"message"`
		}
		var s string
		switch {
		case json.Unmarshal(e.Error, &nested) == nil && nested.Message != "":
			return nested.Message
		case json.Unmarshal(e.Error, &s) == nil && s != "":
			return s
		case e.Message != "":
			return e.Message
		case len(e.Detail) > 0:
			return truncate(string(e.Detail))
		}
	}
	return truncate(string(body))
}

// maxErrorText bounds an upstream error message quoted in an error.
const maxErrorText = 512

func truncate(s string) string {
	if len(s) > maxErrorText {
		return s[:maxErrorText] + "…"
	}
	return s
}
