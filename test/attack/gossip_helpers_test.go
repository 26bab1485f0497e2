package attack

import (
	"crypto/ecdsa"
	"encoding/binary"
	"io"
	"log"
	"sync"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/hashicorp/memberlist"

	"github.com/castmesh/castmesh/pkg/eip191"
)

// The attacker below is an independent implementation of the gossip wire
// format (pkg/discovery/gossip/codec.go and sign.go), as a hostile peer
// would write it: a raw memberlist member that speaks castmesh's records.

const (
	wireRecord = 1
	wireDirect = 4
	wireMeta   = 3
)

// forgedRecord is a record as the attacker writes it.
type forgedRecord struct {
	name          string
	boot, version uint64
	state         string
}

func appendStr(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// digest is the gossip record digest: keccak256 of the domain, name,
// boot, version, state and signer, length-prefixed.
func digest(r forgedRecord, signer common.Address) common.Hash {
	var b []byte
	str := func(s string) {
		b = binary.BigEndian.AppendUint32(b, uint32(len(s))) //nolint:gosec // short
		b = append(b, s...)
	}
	str("castmesh/gossip/v1")
	str(r.name)
	b = binary.BigEndian.AppendUint64(b, r.boot)
	b = binary.BigEndian.AppendUint64(b, r.version)
	str(r.state)
	b = append(b, signer.Bytes()...)
	return crypto.Keccak256Hash(b)
}

// body encodes r signed by key, claiming signer.
func body(t *testing.T, r forgedRecord, key *ecdsa.PrivateKey, signer common.Address) []byte {
	t.Helper()
	sig, err := eip191.Sign(digest(r, signer), key)
	if err != nil {
		t.Fatal(err)
	}
	b := appendStr(nil, r.name)
	b = binary.AppendUvarint(b, r.boot)
	b = binary.AppendUvarint(b, r.version)
	b = appendStr(b, r.state)
	b = append(b, signer.Bytes()...)
	return append(b, sig...)
}

// attacker is a raw memberlist member with its own key.
type attacker struct {
	ml     *memberlist.Memberlist
	key    *ecdsa.PrivateKey
	signer common.Address
	meta   []byte

	mu       sync.Mutex
	captured map[string][][]byte // direct record bodies heard, by sender name
}

func (a *attacker) NodeMeta(int) []byte { return a.meta }

func (a *attacker) NotifyMsg(b []byte) {
	if len(b) == 0 || b[0] != wireDirect {
		return
	}
	n, k := binary.Uvarint(b[1:])
	if k <= 0 || 1+k+int(n) > len(b) {
		return
	}
	rest := append([]byte(nil), b[1+k+int(n):]...)
	nameLen, k2 := binary.Uvarint(rest)
	if k2 <= 0 || k2+int(nameLen) > len(rest) {
		return
	}
	name := string(rest[k2 : k2+int(nameLen)])
	a.mu.Lock()
	a.captured[name] = append(a.captured[name], rest)
	a.mu.Unlock()
}

func (a *attacker) GetBroadcasts(int, int) [][]byte { return nil }
func (a *attacker) LocalState(bool) []byte          { return nil }
func (a *attacker) MergeRemoteState([]byte, bool)   {}

// heard returns the first record body heard from name, if any.
func (a *attacker) heard(name string) []byte {
	a.mu.Lock()
	defer a.mu.Unlock()
	if rs := a.captured[name]; len(rs) > 0 {
		return rs[0]
	}
	return nil
}

// newAttacker joins the cluster through seed as a gateway.
func newAttacker(t *testing.T, seed string) *attacker {
	t.Helper()
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	a := &attacker{key: key, signer: crypto.PubkeyToAddress(key.PublicKey), captured: map[string][][]byte{}}
	a.meta = append(appendStr([]byte{wireMeta}, "gateway"), a.signer.Bytes()...)
	cfg := memberlist.DefaultLocalConfig()
	cfg.Name, cfg.BindAddr, cfg.BindPort, cfg.AdvertisePort = "mallory", "127.0.0.1", 0, 0
	cfg.Delegate = a
	cfg.Logger = log.New(io.Discard, "", 0)
	if a.ml, err = memberlist.Create(cfg); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = a.ml.Shutdown() })
	if _, err := a.ml.Join([]string{seed}); err != nil {
		t.Fatal(err)
	}
	return a
}

// send sends msg to the member named to over TCP.
func (a *attacker) send(t *testing.T, to string, msg []byte) {
	t.Helper()
	for _, n := range a.ml.Members() {
		if n.Name == to {
			if err := a.ml.SendReliable(n, msg); err != nil {
				t.Fatal(err)
			}
			return
		}
	}
	t.Fatalf("attacker does not know %s", to)
}
