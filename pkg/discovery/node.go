package discovery

import (
	"context"
	"errors"
	"time"
)

// Node is an orchestrator as a source knows it. A static list knows only
// where it is; a gossiping orchestrator also says what it offers, so a
// gateway can filter candidates before asking them.
type Node struct {
	// Addr is the orchestrator's gRPC host:port; it identifies the node.
	Addr string `json:"addr"`
	// Fingerprint pins its TLS certificate (hex SHA-256); empty accepts any.
	Fingerprint string `json:"fingerprint,omitempty"`
	// Signer is the Ethereum address (hex) that vouched for this entry: the
	// key a gossip record was signed by. The orchestrator at Addr must
	// answer with that signer, or the entry is not its. Empty from sources
	// that do not sign (a static list).
	Signer string `json:"signer,omitempty"`
	// Advert is what the node last said of itself; nil when the source
	// only knows addresses.
	Advert *Advert `json:"advert,omitempty"`
}

// Advert is what an orchestrator gossips about itself.
type Advert struct {
	// Codecs are the video codecs its workers encode.
	Codecs []string `json:"codecs,omitempty"`
	// PricePerPixel is its transcoding price in wei ("" with payments off).
	PricePerPixel string `json:"price_per_pixel,omitempty"`
	// Capacity and InFlight are its workers' segment slots and the jobs
	// running on them; Sessions and MaxSessions its stream sessions.
	Capacity    int `json:"capacity"`
	InFlight    int `json:"in_flight"`
	Sessions    int `json:"sessions"`
	MaxSessions int `json:"max_sessions"`
	// AI are the AI models it serves: "pipeline/model_id" → free slots.
	AI map[string]int `json:"ai,omitempty"`
	// Updated is when the advert was made, by the node's clock.
	Updated time.Time `json:"updated"`
}

// Source lists the orchestrators it knows now. Implementations may be
// slow (a network round, a chain call): callers go through a Cache.
type Source interface {
	Nodes(ctx context.Context) ([]Node, error)
}

// Static is a fixed list of orchestrators.
type Static []Node

// Nodes returns the list.
func (s Static) Nodes(context.Context) ([]Node, error) {
	out := make([]Node, len(s))
	copy(out, s)
	return out, nil
}

// Union merges sources: every node any of them knows, once by address, the
// first source's entry winning. It fails only when every source fails, so
// one unreachable source does not hide the others.
type Union []Source

// Nodes asks each source in turn.
func (u Union) Nodes(ctx context.Context) ([]Node, error) {
	var out []Node
	var errs []error
	seen := map[string]bool{}
	for _, s := range u {
		nodes, err := s.Nodes(ctx)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for _, n := range nodes {
			if !seen[n.Addr] {
				seen[n.Addr] = true
				out = append(out, n)
			}
		}
	}
	if len(errs) > 0 && len(errs) == len(u) {
		return nil, errors.Join(errs...)
	}
	return out, nil
}

// Reconcile brings have, one entry per node address, in line with nodes:
// it makes an entry for each node not there yet (a node newEntry fails
// for is passed to failed and left out), and removes each entry whose node is
// gone, passing it to drop. Callers keep per-node state (a connection,
// scores) across discovery refreshes with it.
func Reconcile[E any](have map[string]E, nodes []Node, newEntry func(Node) (E, error), drop func(E), failed func(Node, error)) {
	seen := make(map[string]bool, len(nodes))
	for _, n := range nodes {
		seen[n.Addr] = true
		if _, ok := have[n.Addr]; ok {
			continue
		}
		e, err := newEntry(n)
		if err != nil {
			failed(n, err)
			continue
		}
		have[n.Addr] = e
	}
	for addr, e := range have {
		if !seen[addr] {
			delete(have, addr)
			drop(e)
		}
	}
}
