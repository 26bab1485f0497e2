package ticket

import (
	"errors"

	"github.com/castmesh/castmesh/pkg/eip191"
)

// Errors of a ticket's signature and fields.
var (
	// ErrSignatureLength means the signature is not 65 bytes.
	ErrSignatureLength = eip191.ErrSignatureLength
	// ErrHighS means s is in the upper half of the curve order: a
	// malleated twin of a valid signature.
	ErrHighS = eip191.ErrHighS
	// ErrBadV means the recovery id is not 27 or 28.
	ErrBadV = eip191.ErrBadV
	// ErrBadSignature means the signature does not recover to the sender.
	ErrBadSignature = errors.New("ticket signature is not the sender's")
	// ErrBadField means a field on the wire is malformed (length, range).
	ErrBadField = errors.New("malformed ticket field")
)
