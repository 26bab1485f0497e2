package orchclient

import (
	"context"
	"errors"
	"fmt"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/castmesh/castmesh/pkg/media"
)

// Errors callers branch on; each wraps the gRPC status it came from.
var (
	// ErrBadInput wraps media.ErrInvalidInput, so media.IsInputError
	// holds for it too.
	ErrBadInput    = fmt.Errorf("orchestrator refused the input: %w", media.ErrInvalidInput)
	ErrBusy        = errors.New("orchestrator is full")
	ErrAuth        = errors.New("session token refused")
	ErrUnavailable = errors.New("orchestrator unavailable")
	ErrFailed      = errors.New("orchestrator failed the segment")
	ErrProtocol    = errors.New("orchestrator broke the protocol")
	// ErrPayment means the orchestrator refused the payment (or asked for
	// one that was not sent): fix payment before working with it again.
	ErrPayment = errors.New("orchestrator refused the payment")
	// ErrNoModel means the orchestrator does not serve the AI model now.
	ErrNoModel = errors.New("orchestrator does not serve the model")
	// ErrUnsupportedMedia is bad input too: media no runner can decode.
	ErrUnsupportedMedia = fmt.Errorf("unsupported media: %w", ErrBadInput)
)

// unsupportedMediaReason is the ErrorInfo reason orchestrators set on an
// INVALID_ARGUMENT status for undecodable media.
const unsupportedMediaReason = "UNSUPPORTED_MEDIA"

func hasReason(err error, reason string) bool {
	st, ok := status.FromError(err)
	if !ok {
		return false
	}
	for _, d := range st.Details() {
		if info, ok := d.(*errdetails.ErrorInfo); ok && info.GetReason() == reason {
			return true
		}
	}
	return false
}

// fromStatus maps a gRPC error to one of the sentinels.
func fromStatus(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var kind error
	switch status.Code(err) {
	case codes.InvalidArgument:
		kind = ErrBadInput
		if hasReason(err, unsupportedMediaReason) {
			kind = ErrUnsupportedMedia
		}
	case codes.NotFound:
		kind = ErrNoModel
	case codes.ResourceExhausted:
		kind = ErrBusy
	case codes.Unauthenticated:
		kind = ErrAuth
	case codes.Unavailable:
		kind = ErrUnavailable
	case codes.FailedPrecondition:
		kind = ErrPayment
	case codes.Canceled:
		return fmt.Errorf("%w: %w", context.Canceled, err)
	case codes.DeadlineExceeded:
		return fmt.Errorf("%w: %w", context.DeadlineExceeded, err)
	default:
		kind = ErrFailed
	}
	return fmt.Errorf("%w: %s", kind, status.Convert(err).Message())
}
