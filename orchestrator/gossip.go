package orchestrator

import (
	"context"
	"time"

	"github.com/castmesh/castmesh/orchestrator/pricing"
	"github.com/castmesh/castmesh/pkg/discovery"
)

// advertInterval is how often the orchestrator gossips its load: often
// enough that gateways see capacity change within seconds, rarely enough
// that a cluster of hundreds stays quiet.
const advertInterval = 2 * time.Second

// advertise gossips the orchestrator's node and advert until ctx ends.
func (o *Orchestrator) advertise(ctx context.Context) error {
	tick := time.NewTicker(advertInterval)
	defer tick.Stop()
	for {
		if err := o.cluster.SetState(o.node()); err != nil {
			o.logger.Warn("gossiping the advert failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
	}
}

// node is what the orchestrator says of itself in the cluster.
func (o *Orchestrator) node() discovery.Node {
	load := o.pool.Load()
	live, limit := o.sessions.Count()
	a := &discovery.Advert{
		Capacity: load.Capacity, InFlight: load.InFlight, Sessions: live, MaxSessions: limit,
		Updated: time.Now().UTC(),
	}
	seen := map[string]bool{}
	for _, e := range o.pool.Encoders() {
		if c := string(e.Codec); !seen[c] {
			seen[c] = true
			a.Codecs = append(a.Codecs, c)
		}
	}
	if o.paid != nil {
		if p, ok := o.paid.billing.Price(pricing.Transcode, ""); ok {
			a.PricePerPixel = p.RatString()
		}
	}
	for _, m := range o.pool.AIModels() {
		if a.AI == nil {
			a.AI = map[string]int{}
		}
		a.AI[m.Pipeline+"/"+m.ModelID] = m.Capacity - m.InUse
	}
	return discovery.Node{Addr: o.Addr(), Fingerprint: o.Fingerprint(), Advert: a}
}
