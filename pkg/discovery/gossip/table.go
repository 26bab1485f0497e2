package gossip

import (
	"bytes"
	"crypto/ecdsa"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// table is what a member knows: the alive members and everyone's latest
// state. memberlist calls into it from its own goroutines and expects
// quick answers, so a mutex guards it rather than an owning loop; nothing
// calls out of the package while holding it.
type table struct {
	self string
	boot uint64
	// key signs this member's records.
	key *ecdsa.PrivateKey

	// alive mirrors len(peers) for the broadcast queue, which asks for it
	// while holding its own lock.
	alive atomic.Int64

	mu      sync.Mutex
	version uint64
	peers   map[string]peer
	states  map[string]*entry
}

// maxUnknownStates bounds the states held for names that are not alive
// members (heard before their member's join, or after its leave): with
// MaxStateSize states, at most 16 MiB beyond the members' own.
const maxUnknownStates = 256

type peer struct {
	addr, role string
	// signer is the address the member's metadata names: only records it
	// signed are this member's.
	signer common.Address
}

type entry struct {
	rec record
	// goneAt is when its member was last seen going; zero while alive.
	goneAt time.Time
}

func newTable(self string, boot uint64, key *ecdsa.PrivateKey) *table {
	return &table{self: self, boot: boot, key: key, peers: map[string]peer{}, states: map[string]*entry{}}
}

// signer is the address this member's records are signed by.
func (t *table) signer() common.Address { return crypto.PubkeyToAddress(t.key.PublicKey) }

// setOwn signs and stores a new state of this member and returns its
// record.
func (t *table) setOwn(state []byte) (record, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	r := record{Name: t.self, Boot: t.boot, Version: t.version + 1, State: state}
	if err := r.sign(t.key); err != nil {
		return record{}, err
	}
	t.version++
	t.states[t.self] = &entry{rec: r}
	return r, nil
}

// admit is the cheap part of taking a record in, done before its
// signature is checked: it must be news, and signed by the key its member
// announced if the member is known.
func (t *table) admit(r record) error {
	if r.Name == t.self {
		return errStale // only SetState speaks for this member
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if p, alive := t.peers[r.Name]; alive && p.signer != r.Signer {
		return fmt.Errorf("%w: %q signed by %s, its member announced %s", ErrForged, r.Name, r.Signer.Hex(), p.signer.Hex())
	}
	if cur, ok := t.states[r.Name]; ok && cur.rec.Signer == r.Signer && !r.newer(cur.rec) {
		return errStale
	}
	return nil
}

// own returns this member's latest record, if it has published one.
func (t *table) own() (record, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	e, ok := t.states[t.self]
	if !ok {
		return record{}, false
	}
	return e.rec, true
}

// apply stores r if it is newer than what is known of its member, and
// reports whether it did; its signature must have been checked. Records
// about this member are ignored: only SetState speaks for it. A record
// whose signer is not the one its member announced is refused; one held
// under another signer is replaced by any record under the right one, so
// a forger cannot pin a state ahead of the real owner's.
func (t *table) apply(r record) bool {
	if r.Name == t.self {
		return false
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	p, alive := t.peers[r.Name]
	if alive && p.signer != r.Signer {
		return false
	}
	cur, ok := t.states[r.Name]
	if ok && cur.rec.Signer == r.Signer && !r.newer(cur.rec) {
		return false
	}
	if ok && cur.rec.Signer != r.Signer && !alive && !r.newer(cur.rec) {
		// Neither signer is known yet: the newer wins until the member's
		// metadata says which is its own (join drops the other).
		return false
	}
	if !ok && !alive && len(t.states) >= len(t.peers)+maxUnknownStates {
		// States of names no member has: a flood of them must not grow
		// the table without bound before the sweep forgets them.
		return false
	}
	e := &entry{rec: r}
	if !alive {
		e.goneAt = time.Now()
	}
	t.states[r.Name] = e
	return true
}

// join records a member as alive (again), or its new address, role or
// signer. A state held for it under another signer is dropped: it was
// forged, or made by a previous run with another key.
func (t *table) join(name, addr, role string, signer common.Address) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.peers[name] = peer{addr: addr, role: role, signer: signer}
	if e, ok := t.states[name]; ok {
		if name != t.self && e.rec.Signer != signer {
			delete(t.states, name)
		} else {
			e.goneAt = time.Time{}
		}
	}
	t.alive.Store(int64(len(t.peers)))
	return len(t.peers)
}

// isAlive reports whether a member is known alive.
func (t *table) isAlive(name string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	_, ok := t.peers[name]
	return ok
}

// leave hides a member and its state.
func (t *table) leave(name string) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.peers, name)
	if e, ok := t.states[name]; ok && name != t.self {
		e.goneAt = time.Now()
	}
	t.alive.Store(int64(len(t.peers)))
	return len(t.peers)
}

// sweep forgets the states of members gone for longer than ttl.
func (t *table) sweep(now time.Time, ttl time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for name, e := range t.states {
		if !e.goneAt.IsZero() && now.Sub(e.goneAt) > ttl {
			delete(t.states, name)
		}
	}
}

// records returns the states of alive members, this one included, for a
// push/pull, stopping before their encoding would pass budget bytes.
func (t *table) records(budget int) []record {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]record, 0, len(t.states))
	for _, e := range t.states {
		if !e.goneAt.IsZero() {
			continue
		}
		if budget -= len(e.rec.State) + len(e.rec.Name) + 32; budget < 0 {
			break
		}
		out = append(out, e.rec)
	}
	return out
}

// members returns the alive members, sorted by name, with copies of
// their states.
func (t *table) members() []Member {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]Member, 0, len(t.peers))
	for name, p := range t.peers {
		m := Member{Name: name, Role: p.role, Addr: p.addr, Signer: p.signer}
		if e, ok := t.states[name]; ok && e.rec.Signer == p.signer {
			m.State, m.Version = bytes.Clone(e.rec.State), e.rec.Version
		}
		out = append(out, m)
	}
	slices.SortFunc(out, func(a, b Member) int { return strings.Compare(a.Name, b.Name) })
	return out
}
