// Package eip191 signs 32-byte hashes as Ethereum's personal messages
// (EIP-191 version 0x45: "\x19Ethereum Signed Message:\n32" ‖ hash) and
// recovers the signer, accepting only canonical signatures: 65 bytes,
// v of 27 or 28, s in the lower half of the curve order (EIP-2). Tickets
// and rendition attestations are signed this way, so a wallet or a
// contract can check them.
package eip191

import (
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

var (
	// ErrSignatureLength means the signature is not 65 bytes.
	ErrSignatureLength = errors.New("signature must be 65 bytes")
	// ErrHighS means s is in the upper half of the curve order: a
	// malleated copy of a valid signature.
	ErrHighS = errors.New("signature has a high s value")
	// ErrBadV means the recovery id is not 27 or 28.
	ErrBadV = errors.New("signature v must be 27 or 28")
	// ErrBadSignature means no public key recovers from the signature.
	ErrBadSignature = errors.New("signature does not recover")
)

// SignHash is the message hash the signer signs for hash.
func SignHash(hash common.Hash) []byte { return accounts.TextHash(hash.Bytes()) }

// Sign signs hash with key; v is 27 or 28.
func Sign(hash common.Hash, key *ecdsa.PrivateKey) ([]byte, error) {
	sig, err := crypto.Sign(SignHash(hash), key)
	if err != nil {
		return nil, err
	}
	sig[64] += 27
	return sig, nil
}

// halfN is half the secp256k1 order: canonical signatures have s ≤ it.
func halfN() *big.Int { return new(big.Int).Rsh(crypto.S256().Params().N, 1) }

// Recover returns the address whose key made sig over hash.
func Recover(hash common.Hash, sig []byte) (common.Address, error) {
	if len(sig) != 65 {
		return common.Address{}, fmt.Errorf("%w: %d bytes", ErrSignatureLength, len(sig))
	}
	if v := sig[64]; v != 27 && v != 28 {
		return common.Address{}, fmt.Errorf("%w: %d", ErrBadV, v)
	}
	if new(big.Int).SetBytes(sig[32:64]).Cmp(halfN()) > 0 {
		return common.Address{}, ErrHighS
	}
	raw := make([]byte, 65)
	copy(raw, sig)
	raw[64] -= 27
	pub, err := crypto.SigToPub(SignHash(hash), raw)
	if err != nil {
		return common.Address{}, fmt.Errorf("%w: %w", ErrBadSignature, err)
	}
	return crypto.PubkeyToAddress(*pub), nil
}
