package rtmp

import (
	"errors"
	"fmt"
)

// Errors that end a connection, as reported in its closing log line.
var (
	// ErrNotRTMP means the first byte was not RTMP version 3.
	ErrNotRTMP = errors.New("not an RTMP handshake")
	// ErrHandshake means the handshake failed or the peer left during it.
	ErrHandshake = errors.New("rtmp handshake failed")
	// ErrTimeout means the peer did not publish within HandshakeTimeout or
	// sent nothing for IdleTimeout.
	ErrTimeout = errors.New("rtmp connection timed out")
	// ErrWrongApp means the connect command named another application.
	ErrWrongApp = errors.New("unknown rtmp application")
	// ErrBadKey means the publishing name is not a valid stream key.
	ErrBadKey = errors.New("invalid stream key")
	// ErrAlreadyPublishing means a second publish came on one connection.
	ErrAlreadyPublishing = errors.New("connection is already publishing")
	// ErrPlayRefused means a client asked to play; castmesh plays out HLS.
	ErrPlayRefused = errors.New("rtmp playback is not offered")
	// ErrBadTag means an FLV audio or video tag header is truncated.
	ErrBadTag = errors.New("malformed FLV tag")
	// ErrServerClosed means the server shut down.
	ErrServerClosed = errors.New("rtmp server closed")
)

// Reasons label castmesh_gateway_rtmp_rejected_total.
const (
	ReasonNotRTMP          = "not_rtmp"
	ReasonTooManyConns     = "too_many_connections"
	ReasonWrongApp         = "wrong_app"
	ReasonBadKey           = "bad_key"
	ReasonUnauthorized     = "unauthorized"
	ReasonTooManyStreams   = "too_many_streams"
	ReasonKeyInUse         = "key_in_use"
	ReasonUnfunded         = "unfunded"
	ReasonOpenFailed       = "open_failed"
	ReasonUnsupportedCodec = "unsupported_codec"
	ReasonBadMedia         = "bad_media"
	ReasonGOPTooLong       = "gop_too_long"
)

// RejectError is why the server refused a connection or a stream.
type RejectError struct {
	// Reason is one of the Reason constants.
	Reason string
	Err    error
}

func (e *RejectError) Error() string { return fmt.Sprintf("rejected (%s): %v", e.Reason, e.Err) }

func (e *RejectError) Unwrap() error { return e.Err }
