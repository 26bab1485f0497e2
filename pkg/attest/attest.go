// Package attest is how an orchestrator vouches for the renditions it
// returns: it signs (EIP-191, package eip191) a digest that commits to the
// stream, the segment and every rendition's bytes, and the gateway checks
// the signature recovers to the signer the orchestrator's terms named.
// With payments on the signer is the orchestrator's Ethereum address, the
// one its tickets pay, so a bad rendition is provably its own.
package attest

import (
	"crypto/ecdsa"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/castmesh/castmesh/pkg/eip191"
	"github.com/castmesh/castmesh/pkg/media"
)

// ErrNotSigner means the signature is valid but someone else's.
var ErrNotSigner = errors.New("renditions not signed by the orchestrator's signer")

// domain separates rendition digests from every other signed hash.
const domain = "castmesh/renditions/v1"

// Digest commits to a segment's renditions, in order: keccak256 of the
// domain, the gateway's stream id, the sequence number, then for each
// rendition its name, container, and the SHA-256 of its init section and
// of its data. Strings are length-prefixed, so no two inputs collide.
func Digest(streamID string, seq int64, rs []media.Rendition) common.Hash {
	var b []byte
	str := func(s string) {
		b = binary.BigEndian.AppendUint32(b, uint32(len(s))) //nolint:gosec // ids and names are short
		b = append(b, s...)
	}
	str(domain)
	str(streamID)
	b = binary.BigEndian.AppendUint64(b, uint64(seq))     //nolint:gosec // the bits are what is signed
	b = binary.BigEndian.AppendUint32(b, uint32(len(rs))) //nolint:gosec // a ladder is short
	for _, r := range rs {
		str(r.Profile.Name)
		str(string(r.Container))
		init, data := sha256.Sum256(r.Init), sha256.Sum256(r.Data)
		b = append(b, init[:]...)
		b = append(b, data[:]...)
	}
	return crypto.Keccak256Hash(b)
}

// Sign signs the renditions' digest.
func Sign(key *ecdsa.PrivateKey, streamID string, seq int64, rs []media.Rendition) ([]byte, error) {
	return eip191.Sign(Digest(streamID, seq, rs), key)
}

// Verify checks sig is signer's over the renditions.
func Verify(signer common.Address, sig []byte, streamID string, seq int64, rs []media.Rendition) error {
	got, err := eip191.Recover(Digest(streamID, seq, rs), sig)
	if err != nil {
		return err
	}
	if got != signer {
		return fmt.Errorf("%w: signed by %s, terms name %s", ErrNotSigner, got.Hex(), signer.Hex())
	}
	return nil
}
