package httppush

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/castmesh/castmesh/gateway/ingest"
	"github.com/castmesh/castmesh/pkg/media"
)

// requestError is a refusal: an HTTP status and a stable error code.
type requestError struct {
	status  int
	code    string
	message string
}

func (e *requestError) Error() string { return e.code + ": " + e.message }

func refuse(status int, code, format string, args ...any) *requestError {
	return &requestError{status: status, code: code, message: fmt.Sprintf(format, args...)}
}

// probeError maps a media.ProbeTS error: a body that is not MPEG-TS is a
// bad request; MPEG-TS without usable video cannot be processed (422).
func probeError(err error) *requestError {
	var uc *media.UnsupportedCodecError
	switch {
	case errors.Is(err, media.ErrTruncated):
		return refuse(http.StatusBadRequest, "truncated", "%v", err)
	case errors.As(err, &uc):
		return refuse(http.StatusUnprocessableEntity, "unsupported_codec", "%v", err)
	case errors.Is(err, media.ErrNoVideo):
		return refuse(http.StatusUnprocessableEntity, "no_video", "%v", err)
	}
	return refuse(http.StatusBadRequest, "not_mpegts", "%v", err)
}

// openError maps an ingest.Opener error.
func openError(err error) *requestError {
	switch {
	case errors.Is(err, ingest.ErrUnauthorized):
		return refuse(http.StatusForbidden, "unauthorized", "stream key refused")
	case errors.Is(err, ingest.ErrTooManyStreams):
		return refuse(http.StatusServiceUnavailable, "too_many_streams", "the gateway is full; retry later")
	case errors.Is(err, ingest.ErrStreamEnded):
		return refuse(http.StatusConflict, "stream_ended", "the stream has ended")
	case errors.Is(err, ingest.ErrKeyInUse):
		return refuse(http.StatusConflict, "key_in_use", "another publisher is live on this key")
	case errors.Is(err, ingest.ErrUnfunded):
		return refuse(http.StatusServiceUnavailable, "gateway_unfunded", "the gateway cannot pay for transcoding: %v", err)
	}
	return refuse(http.StatusInternalServerError, "open_failed", "cannot open the stream")
}

// transcodeError maps an ingest.Stream.Transcode error: bad input is the
// publisher's to fix (422); no capacity is worth a retry (503); anything
// else failed upstream (502).
func transcodeError(err error) *requestError {
	switch {
	case media.IsInputError(err):
		return refuse(http.StatusUnprocessableEntity, "invalid_input", "%v", err)
	case errors.Is(err, ingest.ErrNoOrchestrator):
		return refuse(http.StatusServiceUnavailable, "no_orchestrator", "no orchestrator available; retry later")
	case errors.Is(err, context.DeadlineExceeded):
		return refuse(http.StatusServiceUnavailable, "transcode_timeout", "transcoding timed out; retry later")
	}
	return refuse(http.StatusBadGateway, "transcode_failed", "transcoding failed")
}
