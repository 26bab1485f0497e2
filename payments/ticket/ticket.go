package ticket

import (
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/castmesh/castmesh/pkg/eip191"
)

// Ticket is one lottery ticket a sender signs for a recipient.
type Ticket struct {
	Recipient common.Address
	Sender    common.Address
	// FaceValue is paid, in wei, if the ticket wins.
	FaceValue *big.Int
	// WinProb is the winning probability scaled to 2^256 − 1.
	WinProb *big.Int
	// SenderNonce makes each ticket of one parameter set unique.
	SenderNonce uint32
	// RecipientRandHash commits the recipient to its secret random number.
	RecipientRandHash common.Hash
	// ExpirationBlock is the last block at which the recipient accepts
	// tickets of these parameters; the contract honours the ticket for a
	// validity period after it.
	ExpirationBlock uint64
	// ChainID and Broker bind the ticket to one TicketBroker deployment.
	ChainID uint64
	Broker  common.Address
}

// packedLen is the length of the packed fields.
const packedLen = 20 + 20 + 32*6 + 20

// Packed returns the fields packed as abi.encodePacked does.
func (t *Ticket) Packed() []byte {
	b := make([]byte, 0, packedLen)
	b = append(b, t.Recipient.Bytes()...)
	b = append(b, t.Sender.Bytes()...)
	b = append(b, word(t.FaceValue)...)
	b = append(b, word(t.WinProb)...)
	b = append(b, word(new(big.Int).SetUint64(uint64(t.SenderNonce)))...)
	b = append(b, t.RecipientRandHash.Bytes()...)
	b = append(b, word(new(big.Int).SetUint64(t.ExpirationBlock))...)
	b = append(b, word(new(big.Int).SetUint64(t.ChainID))...)
	return append(b, t.Broker.Bytes()...)
}

// word is a non-negative integer as a 32-byte big-endian word.
func word(x *big.Int) []byte {
	if x == nil {
		return make([]byte, 32)
	}
	return common.LeftPadBytes(x.Bytes(), 32)
}

// Hash is keccak256 of the packed fields.
func (t *Ticket) Hash() common.Hash { return crypto.Keccak256Hash(t.Packed()) }

// SignHash is the EIP-191 message hash the sender signs.
func (t *Ticket) SignHash() []byte { return eip191.SignHash(t.Hash()) }

// Sign signs the ticket with the sender's key.
func Sign(t *Ticket, key *ecdsa.PrivateKey) ([]byte, error) { return eip191.Sign(t.Hash(), key) }

// Verify checks sig is the sender's canonical signature of the ticket.
func (t *Ticket) Verify(sig []byte) error {
	signer, err := eip191.Recover(t.Hash(), sig)
	if errors.Is(err, eip191.ErrBadSignature) {
		return fmt.Errorf("%w: %w", ErrBadSignature, err)
	}
	if err != nil {
		return err
	}
	if signer != t.Sender {
		return ErrBadSignature
	}
	return nil
}

// RandHash is the commitment to a recipient's random number:
// keccak256(uint256 rand).
func RandHash(rand *big.Int) common.Hash { return crypto.Keccak256Hash(word(rand)) }

// Wins reports whether a ticket with signature sig wins against the
// recipient's random number: keccak256(sig ‖ uint256 rand) < winProb.
func Wins(sig []byte, rand, winProb *big.Int) bool {
	draw := new(big.Int).SetBytes(crypto.Keccak256(sig, word(rand)))
	return draw.Cmp(winProb) < 0
}

// maxWinProb is 2^256 − 1, the probability scale.
func maxWinProb() *big.Int {
	return new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1))
}

// EV is a ticket's expected value in wei: faceValue × winProb / (2^256 − 1).
func EV(faceValue, winProb *big.Int) *big.Rat {
	num := new(big.Int).Mul(faceValue, winProb)
	return new(big.Rat).SetFrac(num, maxWinProb())
}

// WinProbFor returns the win probability that gives a ticket of faceValue
// the expected value ev (wei): ev / faceValue scaled to 2^256 − 1, rounded
// down. It is 2^256 − 1 when ev ≥ faceValue.
func WinProbFor(ev *big.Rat, faceValue *big.Int) *big.Int {
	if faceValue.Sign() <= 0 {
		return new(big.Int)
	}
	p := new(big.Rat).Quo(ev, new(big.Rat).SetInt(faceValue))
	if p.Cmp(big.NewRat(1, 1)) >= 0 {
		return maxWinProb()
	}
	scaled := new(big.Int).Mul(p.Num(), maxWinProb())
	return scaled.Quo(scaled, p.Denom())
}

// Uint256 decodes a big-endian unsigned integer of at most 32 bytes.
func Uint256(b []byte) (*big.Int, error) {
	if len(b) > 32 {
		return nil, fmt.Errorf("%w: %d-byte integer", ErrBadField, len(b))
	}
	return new(big.Int).SetBytes(b), nil
}

// Address decodes a 20-byte address.
func Address(b []byte) (common.Address, error) {
	if len(b) != common.AddressLength {
		return common.Address{}, fmt.Errorf("%w: %d-byte address", ErrBadField, len(b))
	}
	return common.BytesToAddress(b), nil
}

// Hash32 decodes a 32-byte hash.
func Hash32(b []byte) (common.Hash, error) {
	if len(b) != common.HashLength {
		return common.Hash{}, fmt.Errorf("%w: %d-byte hash", ErrBadField, len(b))
	}
	return common.BytesToHash(b), nil
}
