package onchain

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/ethereum/go-ethereum/common"

	"github.com/castmesh/castmesh/pkg/discovery"
)

// services is what Registry reads of the chain.
type services interface {
	Services(ctx context.Context, from uint64) (map[common.Address]string, error)
}

// Registry is the on-chain service registry as a discovery source: every
// orchestrator that published a service URI with `castmesh orchestrator
// register`. URIs that name no host:port are skipped.
type Registry struct {
	chain services
	from  uint64
	// skipped reports a URI that is not an orchestrator address.
	skipped func(addr common.Address, uri string, err error)
}

// NewRegistry reads the registry's events from block from (the block it
// was deployed in is enough; 0 reads them all).
func NewRegistry(chain services, from uint64, skipped func(common.Address, string, error)) *Registry {
	return &Registry{chain: chain, from: from, skipped: skipped}
}

// Nodes lists the registered orchestrators.
func (r *Registry) Nodes(ctx context.Context) ([]discovery.Node, error) {
	uris, err := r.chain.Services(ctx, r.from)
	if err != nil {
		return nil, err
	}
	out := make([]discovery.Node, 0, len(uris))
	for addr, uri := range uris {
		hostport, err := ServiceAddr(uri)
		if err != nil {
			if r.skipped != nil {
				r.skipped(addr, uri, err)
			}
			continue
		}
		out = append(out, discovery.Node{Addr: hostport})
	}
	return out, nil
}

// ServiceAddr reads the gRPC host:port from a registered service URI:
// "host:port", or a URL such as "https://host:port".
func ServiceAddr(uri string) (string, error) {
	hostport := uri
	if strings.Contains(uri, "://") {
		u, err := url.Parse(uri)
		if err != nil {
			return "", fmt.Errorf("service URI %q: %w", uri, err)
		}
		hostport = u.Host
	}
	host, port, err := net.SplitHostPort(hostport)
	if err != nil || host == "" || port == "" {
		return "", fmt.Errorf("service URI %q names no host:port", uri)
	}
	return hostport, nil
}
