package broker

import (
	"context"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
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
