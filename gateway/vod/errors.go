package vod

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/castmesh/castmesh/pkg/httpjson"
)

// Error is an answer the API gives instead of a result: its HTTP status,
// a stable code clients branch on, a message for people, and whether the
// same request may succeed later.
type Error struct {
	Status    int
	Code      string
	Message   string
	Retryable bool
	// RetryAfter, when set, is sent as the Retry-After header (seconds).
	RetryAfter int
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// The error codes, as SOPHON's API names them where it has one.
const (
	codeValidation        = "validation_error"
	codeUnauthorized      = "unauthorized"
	codeForbidden         = "forbidden"
	codeNotFound          = "not_found"
	codeConflict          = "conflict"
	codeRateLimited       = "rate_limited"
	codeQuotaExceeded     = "quota_exceeded"
	codeTooLarge          = "too_large"
	codeMediaType         = "unsupported_media_type"
	codeSourceInvalid     = "source_invalid"
	codeSourceTooLong     = "source_too_long"
	codePartRange         = "part_out_of_range"
	codePartSize          = "part_size_mismatch"
	codePartsMissing      = "parts_missing"
	codeSizeMismatch      = "size_mismatch"
	codeUploadState       = "upload_not_uploading"
	codeUploadExpired     = "upload_expired"
	codeInternal          = "internal_error"
	codeIdempotencyKey    = "idempotency_key_invalid"
	codeUnknownProfile    = "unknown_profile"
	codeSourceUnsupported = "source_unsupported"
	codeSourceURL         = "source_url_invalid"
	codeNotCancelable     = "job_not_cancelable"
	codeOutputNotReady    = "output_not_ready"
	codeWebhookURL        = "webhook_url_invalid"
)

func errorf(status int, code, format string, args ...any) *Error {
	return &Error{Status: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

func invalid(format string, args ...any) *Error {
	return errorf(http.StatusBadRequest, codeValidation, format, args...)
}

func notFound(what, id string) *Error {
	return errorf(http.StatusNotFound, codeNotFound, "no %s %q", what, id)
}

// errorBody is the JSON of an error answer.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code      string `json:"code"`
	Message   string `json:"message"`
	Retryable bool   `json:"retryable"`
	RequestID string `json:"request_id"`
}

// writeError answers err: an *Error as it says, anything else as a
// retryable 500 whose detail stays in the log.
func (a *API) writeError(w http.ResponseWriter, r *http.Request, err error) {
	var e *Error
	if !errors.As(err, &e) {
		a.logger.Error("vod request failed", "method", r.Method, "path", r.URL.Path, "request_id", requestID(r), "err", err)
		e = &Error{Status: http.StatusInternalServerError, Code: codeInternal, Message: "internal error; try again", Retryable: true}
	}
	if e.RetryAfter > 0 {
		w.Header().Set("Retry-After", fmt.Sprint(e.RetryAfter))
	}
	httpjson.Write(w, e.Status, errorBody{Error: errorDetail{
		Code: e.Code, Message: e.Message, Retryable: e.Retryable, RequestID: requestID(r),
	}})
}
