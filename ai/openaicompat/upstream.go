package openaicompat

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"

	"github.com/castmesh/castmesh/ai/pipeline"
)

// post sends the request and returns the upstream's 2xx response, whose
// body the caller closes; any other status is a *StatusError.
func (m *Model) post(ctx context.Context, req chatRequest) (*http.Response, error) {
	body, err := json.Marshal(req)
	if err != nil {
		return nil, err
	}
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, m.url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	hreq.Header.Set("Content-Type", "application/json")
	hreq.Header.Set("Accept", "application/json")
	if req.Stream {
		hreq.Header.Set("Accept", "text/event-stream")
	}
	if m.cfg.APIKey != "" {
		hreq.Header.Set("Authorization", "Bearer "+m.cfg.APIKey)
	}
	resp, err := m.client.Do(hreq)
	if err != nil {
		return nil, fmt.Errorf("upstream: %w", causeOf(ctx, err))
	}
	if resp.StatusCode/100 != 2 {
		defer resp.Body.Close()
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		return nil, &StatusError{Code: resp.StatusCode, Msg: errorMessage(b)}
	}
	return resp, nil
}

// causeOf is why ctx ended when it did, which says more than the error a
// cancelled read returns; otherwise err.
func causeOf(ctx context.Context, err error) error {
	if cause := context.Cause(ctx); cause != nil {
		return cause
	}
	return err
}

// whole asks for the whole answer at once.
func (m *Model) whole(ctx context.Context, p *pipeline.LLMParams) (pipeline.LLMResponse, error) {
	resp, err := m.post(ctx, newRequest(p, m.cfg.Model, false, false))
	if err != nil {
		return pipeline.LLMResponse{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, int64(m.cfg.MaxMessageBytes)+1))
	if err != nil {
		return pipeline.LLMResponse{}, fmt.Errorf("upstream: %w", causeOf(ctx, err))
	}
	if len(b) > m.cfg.MaxMessageBytes {
		return pipeline.LLMResponse{}, fmt.Errorf("upstream: %w: over %d bytes", ErrTooBig, m.cfg.MaxMessageBytes)
	}
	var r chatResponse
	if err := json.Unmarshal(b, &r); err != nil {
		return pipeline.LLMResponse{}, fmt.Errorf("upstream: bad answer: %w", err)
	}
	c, ok := r.choice()
	if !ok || c.Message == nil {
		return pipeline.LLMResponse{}, fmt.Errorf("upstream: answer without a message: %s", truncate(string(b)))
	}
	return m.response(&r, pipeline.LLMChoice{FinishReason: finishReason(c.FinishReason), Message: assistant(c.Message.Content)}), nil
}

// response is the pipeline's answer holding one choice.
func (m *Model) response(r *chatResponse, c pipeline.LLMChoice) pipeline.LLMResponse {
	out := pipeline.LLMResponse{ID: r.ID, Model: m.cfg.Model, Created: r.Created, Choices: []pipeline.LLMChoice{c}}
	if r.Usage != nil {
		out.Usage = *r.Usage
	}
	return out
}

// assistant is an assistant's message.
func assistant(content *string) *pipeline.LLMMessage {
	msg := &pipeline.LLMMessage{Role: "assistant"}
	if content != nil {
		msg.Content = *content
	}
	return msg
}

// finishReason is the upstream's, or "stop" when it gave none.
func finishReason(r *string) string {
	if r == nil || *r == "" {
		return "stop"
	}
	return *r
}
