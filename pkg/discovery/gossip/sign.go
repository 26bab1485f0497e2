package gossip

import (
	"crypto/ecdsa"
	"encoding/binary"
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/castmesh/castmesh/pkg/eip191"
)

// signDomain separates gossip record digests from every other hash a
// node's key signs (tickets, rendition attestations).
const signDomain = "castmesh/gossip/v1"

// maxFutureBoot is how far ahead of this member's clock a record's boot
// (its owner's start, Unix nanoseconds) may be. A boot further ahead would
// outrank every record its owner will publish for that long: a member
// could pin its own stale state. NTP keeps clocks within well under a
// second; a minute leaves room for a badly kept one.
const maxFutureBoot = time.Minute

// digest commits to every field of a record but the signature:
// keccak256 of the domain, the name, boot, version, the state and the
// signer. Strings are length-prefixed, so no two records collide.
func (r record) digest() common.Hash {
	b := make([]byte, 0, 64+len(r.Name)+len(r.State))
	b = binary.BigEndian.AppendUint32(b, uint32(len(signDomain)))
	b = append(b, signDomain...)
	b = binary.BigEndian.AppendUint32(b, uint32(len(r.Name))) //nolint:gosec // bounded by maxNameLen
	b = append(b, r.Name...)
	b = binary.BigEndian.AppendUint64(b, r.Boot)
	b = binary.BigEndian.AppendUint64(b, r.Version)
	b = binary.BigEndian.AppendUint32(b, uint32(len(r.State))) //nolint:gosec // bounded by MaxStateSize
	b = append(b, r.State...)
	b = append(b, r.Signer.Bytes()...)
	return crypto.Keccak256Hash(b)
}

// sign sets r's signer and signature (EIP-191, package eip191).
func (r *record) sign(key *ecdsa.PrivateKey) error {
	r.Signer = crypto.PubkeyToAddress(key.PublicKey)
	sig, err := eip191.Sign(r.digest(), key)
	if err != nil {
		return fmt.Errorf("gossip: sign record: %w", err)
	}
	r.Sig = sig
	return nil
}

// verify checks r's signature recovers to the signer it claims and that
// its boot is not in the future of now.
func (r record) verify(now time.Time) error {
	if r.Boot > uint64(now.Add(maxFutureBoot).UnixNano()) { //nolint:gosec // now is after 1970
		return fmt.Errorf("%w: %q boots %s ahead of this clock", ErrFutureRecord, r.Name,
			time.Duration(r.Boot-uint64(now.UnixNano()))) //nolint:gosec // as above
	}
	got, err := eip191.Recover(r.digest(), r.Sig)
	if err != nil {
		return fmt.Errorf("%w: %q: %w", ErrForged, r.Name, err)
	}
	if got != r.Signer {
		return fmt.Errorf("%w: %q signed by %s, claims %s", ErrForged, r.Name, got.Hex(), r.Signer.Hex())
	}
	return nil
}
