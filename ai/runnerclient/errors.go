package runnerclient

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/castmesh/castmesh/ai/pipeline"
)

// Error is a runner's non-2xx answer.
type Error struct {
	Status int
	Msg    string
}

func (e *Error) Error() string { return fmt.Sprintf("runner answered %d: %s", e.Status, e.Msg) }

// Unwrap classifies the status: the caller's fault for 400, 413, 415 and
// 422, the runner's otherwise.
func (e *Error) Unwrap() error {
	switch e.Status {
	case http.StatusBadRequest, http.StatusRequestEntityTooLarge, http.StatusUnprocessableEntity:
		return pipeline.ErrBadInput
	case http.StatusUnsupportedMediaType:
		return pipeline.ErrUnsupportedMedia
	}
	return nil
}

// DecodeError reads an error body in either ai-runner shape, FastAPI's
// plain {"detail":"…"}, or as text.
func DecodeError(status int, body []byte) *Error {
	var raw struct {
		Detail json.RawMessage `json:"detail"`
		Error  any             `json:"error"`
	}
	msg := strings.TrimSpace(string(body))
	if json.Unmarshal(body, &raw) == nil {
		if m := detailMsg(raw.Detail); m != "" {
			msg = m
		}
	}
	if msg == "" {
		msg = http.StatusText(status)
	}
	const maxMsg = 1000
	if len(msg) > maxMsg {
		msg = msg[:maxMsg] + "…"
	}
	return &Error{Status: status, Msg: msg}
}

// detailMsg reads {"msg":…}, [{"loc":[…],"msg":…},…] or a plain string.
func detailMsg(d json.RawMessage) string {
	var one pipeline.APIError
	if json.Unmarshal(d, &one) == nil && one.Msg != "" {
		return one.Msg
	}
	var many []pipeline.ValidationError
	if json.Unmarshal(d, &many) == nil && len(many) > 0 {
		parts := make([]string, 0, len(many))
		for _, v := range many {
			loc := make([]string, 0, len(v.Loc))
			for _, l := range v.Loc {
				loc = append(loc, fmt.Sprint(l))
			}
			parts = append(parts, strings.Join(loc, ".")+": "+v.Msg)
		}
		return strings.Join(parts, "; ")
	}
	var s string
	if json.Unmarshal(d, &s) == nil {
		return s
	}
	return ""
}
