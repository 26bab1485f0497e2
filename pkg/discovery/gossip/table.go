package gossip

import (
	"bytes"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// table is what a member knows: the alive members and everyone's latest
// state. memberlist calls into it from its own goroutines and expects
// quick answers, so a mutex guards it rather than an owning loop; nothing
// calls out of the package while holding it.
type table struct {
	self string
	boot uint64

	// alive mirrors len(peers) for the broadcast queue, which asks for it
	// while holding its own lock.
	alive atomic.Int64

	mu      sync.Mutex
	version uint64
	peers   map[string]peer
	states  map[string]*entry
}

type peer struct {
	addr, role string
}

type entry struct {
	rec record
	// goneAt is when its member was last seen going; zero while alive.
	goneAt time.Time
}

func newTable(self string, boot uint64) *table {
	return &table{self: self, boot: boot, peers: map[string]peer{}, states: map[string]*entry{}}
}

// setOwn stores a new state of this member and returns its record.
func (t *table) setOwn(state []byte) record {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.version++
	r := record{Name: t.self, Boot: t.boot, Version: t.version, State: state}
	t.states[t.self] = &entry{rec: r}
	return r
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
// reports whether it did. Records about this member are ignored: only
// SetState speaks for it.
func (t *table) apply(r record) bool {
	if r.Name == t.self {
		return false
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	cur, ok := t.states[r.Name]
	if ok && !r.newer(cur.rec) {
		return false
	}
	e := &entry{rec: r}
	if _, alive := t.peers[r.Name]; !alive {
		e.goneAt = time.Now()
	}
	t.states[r.Name] = e
	return true
}

// join records a member as alive (again), or its new address or role.
func (t *table) join(name, addr, role string) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.peers[name] = peer{addr: addr, role: role}
	if e, ok := t.states[name]; ok {
		e.goneAt = time.Time{}
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
		m := Member{Name: name, Role: p.role, Addr: p.addr}
		if e, ok := t.states[name]; ok {
			m.State, m.Version = bytes.Clone(e.rec.State), e.rec.Version
		}
		out = append(out, m)
	}
	slices.SortFunc(out, func(a, b Member) int { return strings.Compare(a.Name, b.Name) })
	return out
}
