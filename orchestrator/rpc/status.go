package rpc

import (
	"context"
	"errors"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/castmesh/castmesh/ai/pipeline"
	"github.com/castmesh/castmesh/orchestrator/session"
	"github.com/castmesh/castmesh/orchestrator/workers"
	"github.com/castmesh/castmesh/payments/balance"
	"github.com/castmesh/castmesh/payments/recipient"
	"github.com/castmesh/castmesh/payments/ticket"
	"github.com/castmesh/castmesh/pkg/media"
	"github.com/castmesh/castmesh/proto/convert"
)

// Errors of the request itself.
var (
	errNoHeader      = errors.New("the first message must be a segment header")
	errSizeMismatch  = errors.New("segment size does not match the header")
	errHashMismatch  = errors.New("segment SHA-256 does not match the header")
	errTooLarge      = errors.New("segment is larger than this orchestrator accepts")
	errBadDuration   = errors.New("segment duration out of range")
	errNoRegister    = errors.New("the first message must be Register")
	errBadSecret     = errors.New("wrong worker secret")
	errBadCapacity   = errors.New("worker capacity out of range")
	errHeartbeatLost = errors.New("worker missed its heartbeats")
	// errPaymentRequired means payments are on and the segment carries none.
	errPaymentRequired = errors.New("payment required")
	errNoAIHeader      = errors.New("the first message must be an AI header")
	errBadAIHeader     = errors.New("bad AI header")
	// errNotPriced means the orchestrator sets no price for the pipeline.
	errNotPriced = errors.New("no price for this pipeline")
)

// isPaymentError reports whether err refuses a payment: the gateway must
// fix its payment (or its funds) before this orchestrator works for it.
func isPaymentError(err error) bool {
	for _, target := range []error{
		errPaymentRequired, recipient.ErrWrongRecipient, recipient.ErrWrongChain, recipient.ErrWrongRand,
		recipient.ErrSenderUnlocking, recipient.ErrNoSenderFunds, recipient.ErrNonceReplay, recipient.ErrTooManyNonces,
		recipient.ErrParamsExpired, recipient.ErrInsufficientReserve, recipient.ErrInsufficientBalance,
		recipient.ErrPriceTooLow, balance.ErrPriceChanged, ticket.ErrBadSignature, ticket.ErrHighS, ticket.ErrBadV,
		ticket.ErrSignatureLength,
	} {
		if errors.Is(err, target) {
			return true
		}
	}
	return false
}

// toStatus maps an error to the gRPC status the peer sees.
func toStatus(err error) error {
	if err == nil {
		return nil
	}
	if _, ok := status.FromError(err); ok {
		return err
	}
	code := codes.Internal
	switch {
	case errors.Is(err, context.Canceled):
		code = codes.Canceled
	case errors.Is(err, context.DeadlineExceeded):
		code = codes.DeadlineExceeded
	case errors.Is(err, session.ErrBadToken), errors.Is(err, session.ErrTokenExpired):
		code = codes.Unauthenticated
	case errors.Is(err, session.ErrCapped), errors.Is(err, errTooLarge):
		code = codes.ResourceExhausted
	case errors.Is(err, errBadSecret):
		code = codes.PermissionDenied
	case errors.Is(err, workers.ErrDuplicateWorker):
		code = codes.AlreadyExists
	case errors.Is(err, workers.ErrNoWorkers):
		code = codes.Unavailable
	case errors.Is(err, workers.ErrNoModel), errors.Is(err, errNotPriced):
		code = codes.NotFound
	case errors.Is(err, workers.ErrModelBusy), isBusy(err):
		code = codes.ResourceExhausted
	case isUnsupportedMedia(err):
		return unsupportedMedia(err)
	case isPaymentError(err):
		code = codes.FailedPrecondition
	case workers.IsInputError(err), media.IsInputError(err), errors.Is(err, media.ErrNoProfiles),
		errors.Is(err, errNoHeader), errors.Is(err, errSizeMismatch), errors.Is(err, errHashMismatch),
		errors.Is(err, errBadDuration), errors.Is(err, errNoRegister), errors.Is(err, errBadCapacity),
		errors.As(err, new(*profileError)), errors.Is(err, ticket.ErrBadField), errors.Is(err, convert.ErrBadPayment),
		errors.Is(err, errNoAIHeader), errors.Is(err, errBadAIHeader), pipeline.IsInputError(err):
		code = codes.InvalidArgument
	}
	return status.Error(code, err.Error())
}

// profileError wraps a ladder that failed validation.
type profileError struct{ err error }

func (e *profileError) Error() string { return "bad profiles: " + e.err.Error() }
func (e *profileError) Unwrap() error { return e.err }

// UnsupportedMediaReason is the ErrorInfo reason on an INVALID_ARGUMENT
// status for media no runner can decode (HTTP 415 at the gateway).
const UnsupportedMediaReason = "UNSUPPORTED_MEDIA"

func isUnsupportedMedia(err error) bool {
	var je *workers.JobError
	return errors.Is(err, pipeline.ErrUnsupportedMedia) || (errors.As(err, &je) && je.UnsupportedMedia)
}

func isBusy(err error) bool {
	var je *workers.JobError
	return errors.As(err, &je) && je.Busy
}

func unsupportedMedia(err error) error {
	st := status.New(codes.InvalidArgument, err.Error())
	if d, derr := st.WithDetails(&errdetails.ErrorInfo{Reason: UnsupportedMediaReason, Domain: "castmesh.ai"}); derr == nil {
		st = d
	}
	return st.Err()
}
