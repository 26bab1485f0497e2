package gateway

import (
	"crypto/ecdsa"
	"errors"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/castmesh/castmesh/payments/onchain"
	"github.com/castmesh/castmesh/pkg/discovery"
	"github.com/castmesh/castmesh/pkg/discovery/gossip"
)

// DiscoveryConfig says where the gateway finds orchestrators.
type DiscoveryConfig struct {
	// Source is "auto" (selection.orchestrators, plus the gossip cluster
	// when the gateway joins one), "static", "gossip" or "chain" (the
	// ServiceRegistry on payments.eth's chain; payments on).
	Source string `yaml:"source"`
	// ChainFromBlock is the first block of the registry's events read.
	ChainFromBlock uint64 `yaml:"chain_from_block"`
	// GossipOnChain, with payments on, keeps a gossiped orchestrator only
	// if the key its record is signed by is registered in the
	// ServiceRegistry with a service URI naming the same address.
	GossipOnChain bool `yaml:"gossip_on_chain"`
	// Cache refreshes the answer in the background.
	Cache discovery.CacheConfig `yaml:"cache"`
}

// DefaultDiscoveryConfig returns the defaults.
func DefaultDiscoveryConfig() DiscoveryConfig {
	return DiscoveryConfig{Source: "auto", Cache: discovery.DefaultCacheConfig()}
}

// Validate names the first bad key.
func (c DiscoveryConfig) Validate() error {
	switch c.Source {
	case "auto", "static", "gossip", "chain":
	default:
		return fmt.Errorf("source must be auto, static, gossip or chain, got %q", c.Source)
	}
	return c.Cache.Validate()
}

// errNoSource is a discovery source that cannot work with the config.
var errNoSource = errors.New("discovery")

// openDiscovery builds the gateway's discovery source: the static list,
// the gossip cluster, or the chain, as the config says.
func (g *Gateway) openDiscovery(reg prometheus.Registerer) (discovery.Source, error) {
	var static discovery.Static
	for _, o := range g.cfg.Selection.Orchestrators {
		static = append(static, discovery.Node{Addr: o.Addr, Fingerprint: o.Fingerprint})
	}
	if gc := g.cfg.Gossip.WithJoin(g.cfg.Join); gc.On() {
		// The gateway's records are signed with its Ethereum key when it
		// pays; otherwise with a key made for this run.
		var key *ecdsa.PrivateKey
		if g.paying != nil {
			key = g.paying.key
		}
		var err error
		if g.cluster, err = gossip.New(gc, gossip.RoleGateway, key, g.logger, gossip.NewMetrics(reg)); err != nil {
			return nil, fmt.Errorf("gossip: %w", err)
		}
	}
	switch src := g.cfg.Discovery.Source; {
	case src == "static":
		return static, nil
	case src == "gossip" || (src == "auto" && g.cluster != nil):
		if g.cluster == nil {
			return nil, fmt.Errorf("%w: source gossip needs join or gossip.enabled", errNoSource)
		}
		var gossiped discovery.Source = g.cluster
		if g.cfg.Discovery.GossipOnChain {
			if g.paying == nil {
				return nil, fmt.Errorf("%w: discovery.gossip_on_chain needs payments on (payments.eth names the chain)", errNoSource)
			}
			gossiped = registeredGossip{gossip: g.cluster, chain: g.paying.broker, from: g.cfg.Discovery.ChainFromBlock}
		}
		if src == "auto" && len(static) > 0 {
			return discovery.Union{static, gossiped}, nil
		}
		return gossiped, nil
	case src == "chain":
		if g.paying == nil {
			return nil, fmt.Errorf("%w: source chain needs payments on (payments.eth names the chain)", errNoSource)
		}
		log := g.logger.With("component", "discovery")
		return onchain.NewRegistry(g.paying.broker, g.cfg.Discovery.ChainFromBlock, func(a common.Address, uri string, err error) {
			log.Debug("registered service URI skipped", "orchestrator", a.Hex(), "uri", uri, "err", err)
		}), nil
	}
	return static, nil
}
