package chain

import (
	"context"

	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/castmesh/castmesh/payments/broker"
)

// deployContracts deploys the TicketBroker and the ServiceRegistry from
// DevKey(0), over the node's in-process RPC.
func deployContracts(ctx context.Context, client *ethclient.Client, cfg Config) (broker.Addresses, error) {
	return broker.Deploy(ctx, client, DevKey(0), cfg.deployConfig())
}

// deployConfig is the TicketBroker's constructor arguments.
func (c Config) deployConfig() broker.DeployConfig {
	return broker.DeployConfig{UnlockPeriod: c.UnlockPeriod, TicketValidity: c.TicketValidity}
}

// Addresses returns the contracts in the form payments/broker takes.
func (i Info) Addresses() broker.Addresses {
	return broker.Addresses{TicketBroker: i.TicketBroker, ServiceRegistry: i.ServiceRegistry}
}
