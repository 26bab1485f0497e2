package apikey

import (
	"errors"
	"fmt"
	"net/http"
	"time"
)

// Errors Authenticate, Begin and Reserve return; HTTPStatus maps them.
var (
	// ErrNoKey means the request carries no bearer token.
	ErrNoKey = errors.New("an API key is required: Authorization: Bearer <key>")
	// ErrUnknownKey means the bearer token is no configured key.
	ErrUnknownKey = errors.New("unknown API key")
	// ErrScope means the key exists but may not do this.
	ErrScope = errors.New("this API key lacks the scope")
	// ErrRateLimited means the key's token bucket is empty.
	ErrRateLimited = errors.New("too many requests with this API key")
	// ErrConcurrency means the key has max_concurrent requests running.
	ErrConcurrency = errors.New("too many requests at once with this API key")
	// ErrSpendLimit means the key's requests cost max_spend this window.
	ErrSpendLimit = errors.New("this API key spent its max_spend for the window")
)

// LimitError is a limit that lifts with time: RetryAfter says when.
type LimitError struct {
	Err        error
	RetryAfter time.Duration
}

func (e *LimitError) Error() string {
	return fmt.Sprintf("%v; retry after %s", e.Err, e.RetryAfter.Round(time.Second))
}

func (e *LimitError) Unwrap() error { return e.Err }

// HTTPStatus maps an error of this package to the HTTP status and the
// stable error code callers get; ok is false for any other error.
func HTTPStatus(err error) (status int, code string, ok bool) {
	switch {
	case errors.Is(err, ErrNoKey), errors.Is(err, ErrUnknownKey):
		return http.StatusUnauthorized, "unauthorized", true
	case errors.Is(err, ErrScope):
		return http.StatusForbidden, "forbidden", true
	case errors.Is(err, ErrRateLimited):
		return http.StatusTooManyRequests, "rate_limited", true
	case errors.Is(err, ErrConcurrency):
		return http.StatusTooManyRequests, "too_many_concurrent", true
	case errors.Is(err, ErrSpendLimit):
		return http.StatusTooManyRequests, "spend_limit", true
	}
	return 0, "", false
}

// SetHeaders sets the headers an error's answer needs: WWW-Authenticate
// on a 401 (RFC 6750 §3), Retry-After on a limit that lifts.
func SetHeaders(w http.ResponseWriter, err error) {
	if errors.Is(err, ErrNoKey) || errors.Is(err, ErrUnknownKey) {
		w.Header().Set("WWW-Authenticate", "Bearer")
	}
	var le *LimitError
	if errors.As(err, &le) {
		w.Header().Set("Retry-After", fmt.Sprint(max(1, int64((le.RetryAfter+time.Second-1)/time.Second))))
	}
}
