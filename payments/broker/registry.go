package broker

import (
	"context"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/castmesh/castmesh/payments/broker/bindings"
)

// SetServiceURI publishes the client's service URI (an orchestrator's
// endpoint) in the ServiceRegistry; "" withdraws it.
func (c *Client) SetServiceURI(ctx context.Context, uri string) (*types.Receipt, error) {
	r, err := c.transact(ctx, c.regC, nil, c.registry.PackSetServiceURI(uri))
	return r, wrapf(err, "set service URI")
}

// ServiceURI reads the service URI addr published, "" if none.
func (c *Client) ServiceURI(ctx context.Context, addr common.Address) (string, error) {
	uri, err := call(ctx, c, c.regC, c.registry.PackGetServiceURI(addr), c.registry.UnpackGetServiceURI)
	return uri, wrapf(err, "service URI of %s", addr)
}

// Services lists the service URIs published in the ServiceRegistry since
// block from: each address's latest, withdrawn ones ("") left out. It
// reads the ServiceURIUpdated events, so the registry needs no list of
// its own.
func (c *Client) Services(ctx context.Context, from uint64) (map[common.Address]string, error) {
	ev := c.registry.GetABI().Events[bindings.ServiceRegistryServiceURIUpdatedEventName]
	logs, err := c.backend.FilterLogs(ctx, ethereum.FilterQuery{
		FromBlock: new(big.Int).SetUint64(from),
		Addresses: []common.Address{c.addrs.ServiceRegistry},
		Topics:    [][]common.Hash{{ev.ID}},
	})
	if err != nil {
		return nil, wrapf(err, "service registry events")
	}
	out := map[common.Address]string{}
	for i := range logs { // in chain order: later updates win
		e, err := c.registry.UnpackServiceURIUpdatedEvent(&logs[i])
		if err != nil {
			return nil, fmt.Errorf("decode ServiceURIUpdated: %w", err)
		}
		if e.Uri == "" {
			delete(out, e.Addr)
			continue
		}
		out[e.Addr] = e.Uri
	}
	return out, nil
}
