package runnerapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/castmesh/castmesh/ai/pipeline"
)

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v) // the caller went away
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, pipeline.HTTPError{Detail: pipeline.APIError{Msg: msg}})
}

// fail answers an error in the ai-runner API's shapes.
func (s *Server) fail(w http.ResponseWriter, err error) {
	var fe *pipeline.FieldError
	switch {
	case errors.As(err, &fe):
		writeJSON(w, http.StatusUnprocessableEntity, pipeline.HTTPValidationError{Detail: []pipeline.ValidationError{{
			Loc: []any{"body", fe.Field}, Msg: fe.Msg, Type: "value_error",
		}}})
	case errors.Is(err, pipeline.ErrBadRequestBody):
		writeJSON(w, http.StatusUnprocessableEntity, pipeline.HTTPValidationError{Detail: []pipeline.ValidationError{{
			Loc: []any{"body"}, Msg: err.Error(), Type: "value_error",
		}}})
	case errors.Is(err, pipeline.ErrUnsupportedMedia):
		writeError(w, http.StatusUnsupportedMediaType, err.Error())
	case pipeline.IsInputError(err):
		writeError(w, http.StatusBadRequest, err.Error())
	case errors.Is(err, context.Canceled):
		// The caller left; nobody reads this.
	default:
		s.logger.Error("request failed", "err", err)
		writeError(w, http.StatusInternalServerError, err.Error())
	}
}

// llm answers a whole chat completion, or streams it as server-sent events
// ending in "data: [DONE]" when the caller asked for a stream.
func llm(w http.ResponseWriter, ctx context.Context, m pipeline.LLMModel, p *pipeline.LLMParams) error {
	if !p.Stream {
		out, err := m.LLM(ctx, p, nil)
		return reply(w, out, err)
	}
	flusher, _ := w.(http.Flusher)
	started := false
	start := func() {
		if !started {
			w.Header().Set("Content-Type", "text/event-stream")
			w.Header().Set("Cache-Control", "no-cache")
			w.WriteHeader(http.StatusOK)
			started = true
		}
	}
	emit := func(chunk pipeline.LLMResponse) error {
		start()
		b, err := json.Marshal(chunk)
		if err != nil {
			return err
		}
		if _, err := fmt.Fprintf(w, "data: %s\n\n", b); err != nil {
			return err
		}
		if flusher != nil {
			flusher.Flush()
		}
		return nil
	}
	_, err := m.LLM(ctx, p, emit)
	if err != nil && !started {
		return err
	}
	start()
	if err != nil {
		// Mid-stream, the status is sent: report the error as an event.
		b, _ := json.Marshal(map[string]string{"error": err.Error()})
		_, _ = fmt.Fprintf(w, "data: %s\n\n", b)
	}
	_, _ = fmt.Fprint(w, "data: [DONE]\n\n")
	if flusher != nil {
		flusher.Flush()
	}
	return nil
}
