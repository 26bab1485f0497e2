package gossip

import (
	"context"
	"sync"
	"time"
)

// repair closes gaps in memberlist's membership. memberlist spreads news
// of a member by gossip to a few random members at a time, which in a
// burst of joins misses some members; they learn of the newcomer only at
// their next push/pull, 30 s or more later. Here every member sends its
// state (or a hello) straight to each member it learns of, with its
// address; a member that hears so from a stranger, and still does not
// know it after a grace period, syncs with it at once.
type repair struct {
	// grace gives memberlist's gossip time to deliver the news first.
	grace time.Duration
	// cooldown spaces syncs prompted by the same stranger.
	cooldown time.Duration

	mu    sync.Mutex
	due   map[string]candidate
	tried map[string]time.Time
}

type candidate struct {
	name, addr string
	heard      time.Time
}

func newRepair(grace time.Duration) *repair {
	return &repair{
		grace: grace, cooldown: 10 * grace,
		due: map[string]candidate{}, tried: map[string]time.Time{},
	}
}

// heard notes a message from name at addr, a member not known alive.
func (r *repair) heard(name, addr string, now time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.due[name]; ok {
		return
	}
	if t, ok := r.tried[name]; ok && now.Sub(t) < r.cooldown {
		return
	}
	r.due[name] = candidate{name: name, addr: addr, heard: now}
}

// take returns the candidates heard from a grace period ago or more and
// starts their cooldown.
func (r *repair) take(now time.Time) []candidate {
	r.mu.Lock()
	defer r.mu.Unlock()
	for name, t := range r.tried {
		if now.Sub(t) >= r.cooldown {
			delete(r.tried, name)
		}
	}
	var out []candidate
	for name, c := range r.due {
		if now.Sub(c.heard) >= r.grace {
			out = append(out, c)
			delete(r.due, name)
			r.tried[name] = now
		}
	}
	return out
}

// repairLoop syncs with strangers until ctx ends.
func (c *Cluster) repairLoop(ctx context.Context) {
	tick := time.NewTicker(c.d.fix.grace / 4)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-tick.C:
			for _, s := range c.d.fix.take(now) {
				if ctx.Err() != nil {
					return
				}
				if c.t.isAlive(s.name) {
					continue
				}
				// Join is memberlist's only way to push/pull with a
				// chosen member; both sides end with the union of
				// their members and states.
				if _, err := c.ml.Join([]string{s.addr}); err != nil {
					c.logger.Debug("sync with unknown member failed", "member", s.name, "addr", s.addr, "err", err)
					continue
				}
				c.logger.Debug("synced with a member gossip had not announced", "member", s.name, "addr", s.addr)
			}
		}
	}
}
