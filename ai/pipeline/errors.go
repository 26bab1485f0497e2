package pipeline

import (
	"errors"
	"fmt"
)

// FieldError says which request field is wrong and why. Gateways answer it
// with 400, runners with 422, as the ai-runner API does.
type FieldError struct {
	Field string
	Msg   string
}

func (e *FieldError) Error() string { return fmt.Sprintf("%s: %s", e.Field, e.Msg) }

func fieldErr(field, format string, args ...any) *FieldError {
	return &FieldError{Field: field, Msg: fmt.Sprintf(format, args...)}
}

// Errors a model returns; callers branch on them with errors.Is.
var (
	// ErrBadInput is input the model cannot use (a prompt it refuses, an
	// image it cannot read): 400, and retrying elsewhere will not help.
	ErrBadInput = errors.New("bad input")
	// ErrUnsupportedMedia is a file in a format the model cannot decode: 415.
	ErrUnsupportedMedia = errors.New("unsupported media")
	// ErrWrongModel is a request for a model this runner does not have: 400.
	ErrWrongModel = errors.New("wrong model")
	// ErrNotSupported is a pipeline this model does not run.
	ErrNotSupported = errors.New("pipeline not supported")
	// ErrBadRequestBody is a body that is not the JSON or multipart form
	// the pipeline takes.
	ErrBadRequestBody = errors.New("bad request body")
)

// IsInputError reports whether err is the caller's fault: the request will
// fail the same way anywhere, so it must not be retried elsewhere.
func IsInputError(err error) bool {
	var fe *FieldError
	return errors.As(err, &fe) || errors.Is(err, ErrBadInput) || errors.Is(err, ErrUnsupportedMedia) ||
		errors.Is(err, ErrWrongModel) || errors.Is(err, ErrBadRequestBody)
}
