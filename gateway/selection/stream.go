package selection

import (
	"sync"
	"time"

	"github.com/castmesh/castmesh/gateway/orchclient"
)

// streamState is one stream's orchestrator, the terms of each one it used,
// and the ones it avoids. Its mutex serializes choosing, so concurrent
// segments do not each pick.
type streamState struct {
	mu      sync.Mutex
	current *entry
	// infos are the latest terms of each orchestrator the stream used:
	// its session token, ticket params and price.
	infos map[*entry]orchclient.Info
	// ranked is when the stream last weighed moving.
	ranked time.Time

	smu      sync.Mutex
	until    map[string]time.Time // address → suspended until
	failures map[string]int       // address → failures in a row
}

func newStreamState() *streamState {
	return &streamState{infos: map[*entry]orchclient.Info{}, until: map[string]time.Time{}, failures: map[string]int{}}
}

// suspend keeps the stream away from addr for base, doubled for each
// failure in a row before this one, at most maxFor; the stream leaves it
// if it was there. It returns the end of the suspension.
func (st *streamState) suspend(addr string, now time.Time, base, maxFor time.Duration) time.Time {
	st.smu.Lock()
	n := st.failures[addr]
	st.failures[addr] = n + 1
	d := base
	for range n {
		if d >= maxFor/2 {
			d = maxFor
			break
		}
		d *= 2
	}
	d = min(d, maxFor)
	until := now.Add(d)
	st.until[addr] = until
	st.smu.Unlock()

	st.mu.Lock()
	if st.current != nil && st.current.o.Addr() == addr {
		st.current = nil
	}
	st.mu.Unlock()
	return until
}

// succeeded forgets addr's failures: its next suspension starts short.
func (st *streamState) succeeded(addr string) {
	st.smu.Lock()
	defer st.smu.Unlock()
	delete(st.failures, addr)
}

func (st *streamState) suspended(addr string, now time.Time) bool {
	st.smu.Lock()
	defer st.smu.Unlock()
	until, ok := st.until[addr]
	return ok && now.Before(until)
}

// remember keeps the fresh terms an orchestrator sent with a result.
func (st *streamState) remember(e *entry, info orchclient.Info) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.infos[e] = info
}

// rememberToken keeps a fresh token, the rest of the terms as they were.
func (st *streamState) rememberToken(e *entry, tok orchclient.Token) {
	st.mu.Lock()
	defer st.mu.Unlock()
	info := st.infos[e]
	info.Token = tok
	st.infos[e] = info
}
