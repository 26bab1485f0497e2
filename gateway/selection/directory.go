package selection

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/ethereum/go-ethereum/common"

	"github.com/castmesh/castmesh/gateway/orchclient"
	"github.com/castmesh/castmesh/pkg/discovery"
)

// directory is the gateway's view of every orchestrator discovery knows:
// a connection, its latest general terms (capabilities, load, price) and
// how it has served, shared by all streams. A background loop keeps it
// fresh, so choosing an orchestrator for a segment asks nobody but the
// one chosen.
type directory struct {
	nodes     func() []discovery.Node
	dial      func(discovery.Node) (orchestrator, error)
	gatewayID string
	timeout   time.Duration
	logger    *slog.Logger
	// max caps the entries; maxAge is how old terms may be and be used.
	max    int
	maxAge time.Duration
	now    func() time.Time

	mu       sync.Mutex
	entries  map[string]*entry
	lastSync time.Time     // when the last finished refresh began
	inFlight chan struct{} // closed when the refresh running now ends
}

// entry is one orchestrator.
type entry struct {
	o orchestrator
	// signer is the address discovery vouched for the node with (its
	// gossip record's); zero when the source does not sign.
	signer common.Address
	// at is when info was last taken.
	at time.Time
	// info is the latest answer to a sessionless GetInfo; ok is false when
	// the last ask failed.
	info  orchclient.Info
	ok    bool
	stats stats
}

// maxInfoAsks bounds the GetInfo calls in flight during a refresh.
const maxInfoAsks = 64

// refresh brings the entries in line with discovery and asks every
// orchestrator for its terms, in parallel. A call while a refresh runs
// waits for that one instead.
func (d *directory) refresh(ctx context.Context) {
	d.mu.Lock()
	if wait := d.inFlight; wait != nil {
		d.mu.Unlock()
		select {
		case <-wait:
		case <-ctx.Done():
		}
		return
	}
	done := make(chan struct{})
	d.inFlight = done
	d.mu.Unlock()
	began := time.Now()
	d.sync()
	d.ask(ctx)
	d.mu.Lock()
	d.lastSync, d.inFlight = began, nil
	d.mu.Unlock()
	close(done)
}

// sync adds the orchestrators discovery found since, and drops the ones
// it lost.
// At most max are kept: a source that lists more has the rest left out.
func (d *directory) sync() {
	nodes := d.nodes()
	if len(nodes) > d.max {
		d.logger.Warn("discovery lists more orchestrators than selection.max_orchestrators; leaving the rest out",
			"listed", len(nodes), "max", d.max)
		nodes = nodes[:d.max]
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	discovery.Reconcile(d.entries, nodes,
		func(n discovery.Node) (*entry, error) {
			e := &entry{stats: newStats()}
			if n.Signer != "" {
				if !common.IsHexAddress(n.Signer) {
					return nil, fmt.Errorf("%w: signer %q", errUnvouched, n.Signer)
				}
				e.signer = common.HexToAddress(n.Signer)
			}
			var err error
			e.o, err = d.dial(n)
			return e, err
		},
		func(e *entry) { _ = e.o.Close() },
		func(n discovery.Node, err error) {
			d.logger.Warn("cannot use discovered orchestrator", "orchestrator", n.Addr, "err", err)
		})
}

// ask asks every orchestrator for its terms, in parallel.
func (d *directory) ask(ctx context.Context) {
	d.mu.Lock()
	ask := make([]*entry, 0, len(d.entries))
	for _, e := range d.entries {
		ask = append(ask, e)
	}
	d.mu.Unlock()
	ctx, cancel := context.WithTimeout(ctx, d.timeout)
	defer cancel()
	var g errgroup.Group
	g.SetLimit(maxInfoAsks)
	for _, e := range ask {
		g.Go(func() error {
			info, err := e.o.GetInfo(ctx, d.gatewayID, "", common.Address{})
			if err == nil {
				err = e.vouched(info)
			}
			d.mu.Lock()
			defer d.mu.Unlock()
			e.ok = err == nil
			if err != nil {
				d.logger.Debug("orchestrator did not answer", "orchestrator", e.o.Addr(), "err", err)
				return nil
			}
			e.info, e.at = info, d.now()
			return nil
		})
	}
	_ = g.Wait()
}

// view is an entry with a copy of its terms, safe to read unlocked.
type view struct {
	e    *entry
	info orchclient.Info
}

// snapshot returns the entries that answered their last ask.
func (d *directory) snapshot() []view {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := make([]view, 0, len(d.entries))
	now := d.now()
	for _, e := range d.entries {
		if e.ok && now.Sub(e.at) <= d.maxAge {
			out = append(out, view{e, e.info})
		}
	}
	return out
}

// freshSince reports whether a refresh that began at t or later has ended:
// terms at least as fresh as a segment that started at t. A segment that
// finds nowhere to go refreshes once, and the segments waiting with it
// share that refresh.
func (d *directory) freshSince(t time.Time) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return !d.lastSync.Before(t)
}

// since is how long ago the last refresh began.
func (d *directory) since() time.Duration {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.lastSync.IsZero() {
		return time.Duration(1<<63 - 1)
	}
	return time.Since(d.lastSync)
}

// close drops every connection.
func (d *directory) close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	for addr, e := range d.entries {
		_ = e.o.Close()
		delete(d.entries, addr)
	}
	return nil
}

// update keeps terms an orchestrator sent with an answer.
func (d *directory) update(e *entry, info orchclient.Info) {
	if e.vouched(info) != nil {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	e.info, e.ok, e.at = info, true, d.now()
}

// vouched checks terms against the signer discovery named, if any.
func (e *entry) vouched(info orchclient.Info) error {
	if e.signer != (common.Address{}) && info.Signer != e.signer {
		return fmt.Errorf("%w: it signs as %s, discovery named %s", errUnvouched, info.Signer.Hex(), e.signer.Hex())
	}
	return nil
}
