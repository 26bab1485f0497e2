package gossip

import (
	"context"
	"sync"
	"time"

	"github.com/hashicorp/memberlist"
)

// Run joins the seeds, retrying every JoinRetry until one answers (and
// again whenever this member finds itself alone), and serves until ctx
// ends; then it leaves the cluster, telling the others, and shuts
// memberlist down. It may be called once.
func (c *Cluster) Run(ctx context.Context) error {
	if !c.ran.CompareAndSwap(false, true) {
		return ErrRunTwice
	}
	var wg sync.WaitGroup
	wg.Go(func() { c.sendLoop(ctx) })
	wg.Go(func() { c.repairLoop(ctx) })
	c.maintain(ctx)
	// The senders stop between messages once ctx ends; memberlist is
	// shut down only after them.
	wg.Wait()
	return c.stop(true)
}

// maintain joins (and rejoins, when alone) and sweeps departed states
// until ctx ends.
func (c *Cluster) maintain(ctx context.Context) {
	join := time.NewTicker(c.cfg.JoinRetry)
	defer join.Stop()
	sweep := time.NewTicker(c.goneTTL / 2)
	defer sweep.Stop()
	failing := false
	c.join(&failing)
	for {
		select {
		case <-ctx.Done():
			return
		case <-join.C:
			c.join(&failing)
		case now := <-sweep.C:
			c.t.sweep(now, c.goneTTL)
		}
	}
}

// join tries the seeds if this member is alone. A member that reaches
// no seed but itself (the first seed, listing itself) is simply waiting;
// one that reaches none at all warns once, then logs at debug until a
// join succeeds.
func (c *Cluster) join(failing *bool) {
	if len(c.cfg.Join) == 0 || c.ml.NumMembers() > 1 {
		return
	}
	_, err := c.ml.Join(c.cfg.Join)
	switch members := c.ml.NumMembers(); {
	case members > 1:
		*failing = false
		c.logger.Info("joined gossip cluster", "seeds", c.cfg.Join, "members", members)
	case err != nil && !*failing:
		*failing = true
		c.logger.Warn("no gossip seed answered; retrying", "seeds", c.cfg.Join, "every", c.cfg.JoinRetry, "err", err)
	default:
		c.logger.Debug("no other gossip member found yet", "seeds", c.cfg.Join, "err", err)
	}
}

// sendLoop sends this member's latest state (or, before it has one, a
// hello) straight to the members due it (see outbox): over UDP when it
// fits a packet, else over TCP. After a SetState it also queues the state
// for gossip, which reaches members a lost packet missed.
func (c *Cluster) sendLoop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-c.d.out.kick:
		}
		all, to := c.d.out.take()
		addr := c.ml.LocalNode().Address()
		r, ok := c.t.own()
		msg := encodeHello(addr, c.t.self)
		if ok {
			msg = encodeDirect(addr, r)
		}
		for _, n := range c.ml.Members() {
			if ctx.Err() != nil {
				return
			}
			if _, due := to[n.Name]; n.Name == c.t.self || !all && !due {
				continue
			}
			if err := c.send(n, msg); err != nil {
				c.logger.Debug("sending state failed", "member", n.Name, "err", err)
			}
		}
		if all && ok {
			c.d.gossip(r)
		}
	}
}

func (c *Cluster) send(n *memberlist.Node, msg []byte) error {
	if len(msg) <= broadcastMax {
		return c.ml.SendBestEffort(n, msg)
	}
	return c.ml.SendReliable(n, msg)
}

// stop leaves the cluster if asked, then shuts memberlist down; only the
// first call does anything.
func (c *Cluster) stop(leave bool) error {
	c.stopOnce.Do(func() {
		if leave {
			if err := c.ml.Leave(leaveTimeout); err != nil {
				c.logger.Warn("leaving the gossip cluster", "err", err)
			}
		}
		c.stopErr = c.ml.Shutdown()
	})
	return c.stopErr
}
