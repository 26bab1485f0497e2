package gateway

import (
	"context"
	"fmt"

	"github.com/ethereum/go-ethereum/common"

	"github.com/castmesh/castmesh/payments/onchain"
	"github.com/castmesh/castmesh/pkg/discovery"
)

// serviceRegistry is what registeredGossip reads of the chain: every
// registered orchestrator's service URI.
type serviceRegistry interface {
	Services(ctx context.Context, from uint64) (map[common.Address]string, error)
}

// registeredGossip is the gossip cluster's orchestrators, kept only when
// the key that signed a node's record is registered on chain with a
// service URI naming the node's address: on a public cluster, a member
// that gossips an orchestrator nobody registered is not believed.
type registeredGossip struct {
	gossip discovery.Source
	chain  serviceRegistry
	from   uint64
}

// Nodes lists the gossiped orchestrators the registry vouches for.
func (r registeredGossip) Nodes(ctx context.Context) ([]discovery.Node, error) {
	nodes, err := r.gossip.Nodes(ctx)
	if err != nil {
		return nil, err
	}
	uris, err := r.chain.Services(ctx, r.from)
	if err != nil {
		return nil, fmt.Errorf("service registry: %w", err)
	}
	out := make([]discovery.Node, 0, len(nodes))
	for _, n := range nodes {
		if !common.IsHexAddress(n.Signer) {
			continue
		}
		uri, ok := uris[common.HexToAddress(n.Signer)]
		if !ok {
			continue
		}
		if addr, err := onchain.ServiceAddr(uri); err == nil && addr == n.Addr {
			out = append(out, n)
		}
	}
	return out, nil
}
