package openaicompat

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/castmesh/castmesh/ai/pipeline"
)

// Errors LLM returns.
var (
	// ErrIdle is a stream that sent nothing for Config.IdleTimeout.
	ErrIdle = errors.New("upstream stream went quiet")
	// ErrCut is a stream that ended before its last event.
	ErrCut = errors.New("upstream stream ended early")
	// ErrTooBig is an answer or event over Config.MaxMessageBytes.
	ErrTooBig = errors.New("upstream answer too big")
)

// StatusError is an upstream answer with a status other than 2xx. It wraps
// pipeline.ErrBadInput when the status says the request was at fault.
type StatusError struct {
	// Code is the upstream's HTTP status.
	Code int
	// Msg is the upstream's error message.
	Msg string
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("upstream answered %d %s: %s", e.Code, http.StatusText(e.Code), e.Msg)
}

// Unwrap is pipeline.ErrBadInput for the caller's faults, else nil.
func (e *StatusError) Unwrap() error {
	if callersFault(e.Code) {
		return pipeline.ErrBadInput
	}
	return nil
}

// callersFault reports whether an upstream status blames the request
// itself, so that it would fail the same way on any node.
func callersFault(code int) bool {
	switch code {
	case http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound,
		http.StatusRequestTimeout, http.StatusTooManyRequests:
		return false
	}
	return code >= 400 && code < 500
}
