package gossip

import "sync"

// outbox is who is due this member's latest state: everyone after a
// SetState, a new member after it joins. Run's sender drains it; repeated
// requests before it does coalesce, and it always sends the latest state.
type outbox struct {
	mu  sync.Mutex
	all bool
	to  map[string]struct{}
	// kick has a value while the outbox is not empty.
	kick chan struct{}
}

func newOutbox() *outbox {
	return &outbox{to: map[string]struct{}{}, kick: make(chan struct{}, 1)}
}

// addAll asks for a send to every member.
func (o *outbox) addAll() {
	o.mu.Lock()
	o.all = true
	o.mu.Unlock()
	o.signal()
}

// add asks for a send to one member.
func (o *outbox) add(name string) {
	o.mu.Lock()
	o.to[name] = struct{}{}
	o.mu.Unlock()
	o.signal()
}

func (o *outbox) signal() {
	select {
	case o.kick <- struct{}{}:
	default:
	}
}

// take empties the outbox.
func (o *outbox) take() (all bool, to map[string]struct{}) {
	o.mu.Lock()
	defer o.mu.Unlock()
	all, to = o.all, o.to
	o.all, o.to = false, map[string]struct{}{}
	return all, to
}
