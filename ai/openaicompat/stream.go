package openaicompat

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/castmesh/castmesh/ai/pipeline"
)

// errDone ends ReadEvents at "data: [DONE]".
var errDone = errors.New("done")

// streamState is what a stream has told so far.
type streamState struct {
	last   chatResponse // id, created and usage, as last reported
	finish *string
}

// stream asks for a stream of deltas and passes each on.
func (m *Model) stream(ctx context.Context, p *pipeline.LLMParams, emit func(pipeline.LLMResponse) error) (pipeline.LLMResponse, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	idle := time.AfterFunc(m.cfg.IdleTimeout, func() { cancel(ErrIdle) })
	defer idle.Stop()
	resp, err := m.post(ctx, newRequest(p, m.cfg.Model, true, m.cfg.StreamUsage))
	if err != nil {
		return pipeline.LLMResponse{}, err
	}
	defer resp.Body.Close()
	var st streamState
	err = ReadEvents(resp.Body, m.cfg.MaxMessageBytes, func(ev Event) error {
		idle.Reset(m.cfg.IdleTimeout)
		return m.event(&st, ev, emit)
	})
	switch {
	case errors.Is(err, errDone):
	case err != nil && ctx.Err() != nil:
		return pipeline.LLMResponse{}, fmt.Errorf("upstream: %w", context.Cause(ctx))
	case err != nil:
		return pipeline.LLMResponse{}, err
	case st.finish == nil:
		return pipeline.LLMResponse{}, fmt.Errorf("upstream: %w", ErrCut)
	}
	last := m.response(&st.last, pipeline.LLMChoice{FinishReason: finishReason(st.finish), Delta: assistant(nil)})
	return last, emit(last)
}

// event reads one event, passing a content delta on.
func (m *Model) event(st *streamState, ev Event, emit func(pipeline.LLMResponse) error) error {
	if ev.Data == "[DONE]" {
		return errDone
	}
	var r chatResponse
	if err := json.Unmarshal([]byte(ev.Data), &r); err != nil {
		return fmt.Errorf("upstream: bad event: %w", err)
	}
	if len(r.Error) > 0 && string(r.Error) != "null" {
		return fmt.Errorf("upstream: %s", errorMessage([]byte(ev.Data)))
	}
	st.remember(&r)
	c, ok := r.choice()
	if !ok {
		return nil
	}
	if c.FinishReason != nil && *c.FinishReason != "" {
		st.finish = c.FinishReason
	}
	if c.Delta == nil || c.Delta.Content == nil || *c.Delta.Content == "" {
		return nil
	}
	return emit(m.response(&st.last, pipeline.LLMChoice{Delta: assistant(c.Delta.Content)}))
}

// remember keeps what a chunk says about the whole stream.
func (st *streamState) remember(r *chatResponse) {
	if r.ID != "" {
		st.last.ID = r.ID
	}
	if r.Created != 0 {
		st.last.Created = r.Created
	}
	if r.Usage != nil {
		st.last.Usage = r.Usage
	}
}
