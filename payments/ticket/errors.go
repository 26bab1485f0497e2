package ticket

import "errors"

// Errors of a ticket's signature and fields.
var (
	// ErrSignatureLength means the signature is not 65 bytes.
	ErrSignatureLength = errors.New("ticket signature must be 65 bytes")
	// ErrHighS means s is in the upper half of the curve order: a
	// malleated twin of a valid signature.
	ErrHighS = errors.New("ticket signature has a high s value")
	// ErrBadV means the recovery id is not 27 or 28.
	ErrBadV = errors.New("ticket signature v must be 27 or 28")
	// ErrBadSignature means the signature does not recover to the sender.
	ErrBadSignature = errors.New("ticket signature is not the sender's")
	// ErrBadField means a field on the wire is malformed (length, range).
	ErrBadField = errors.New("malformed ticket field")
)
