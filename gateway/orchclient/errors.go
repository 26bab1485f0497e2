package orchclient

import (
	"context"
	"errors"
	"fmt"

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
)

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
