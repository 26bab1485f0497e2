package broker

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"math/big"

	"github.com/castmesh/castmesh/payments/broker/bindings"
)

// Deploy deploys a TicketBroker with cfg and a ServiceRegistry from key's
// account, waiting for both to be mined.
func Deploy(ctx context.Context, b Backend, key *ecdsa.PrivateKey, cfg DeployConfig) (Addresses, error) {
	if err := cfg.Validate(); err != nil {
		return Addresses{}, err
	}
	chainID, err := b.ChainID(ctx)
	if err != nil {
		return Addresses{}, fmt.Errorf("chain id: %w", err)
	}
	dec, err := newDecoder()
	if err != nil {
		return Addresses{}, err
	}
	t := newTransactor(b, key, dec)
	ctor := bindings.NewTicketBroker().PackConstructor(
		new(big.Int).SetUint64(cfg.UnlockPeriod), new(big.Int).SetUint64(cfg.TicketValidity))
	var a Addresses
	if a.TicketBroker, err = t.deploy(ctx, chainID, bindings.TicketBrokerMetaData.Bin, ctor); err != nil {
		return Addresses{}, fmt.Errorf("deploy TicketBroker: %w", err)
	}
	if a.ServiceRegistry, err = t.deploy(ctx, chainID, bindings.ServiceRegistryMetaData.Bin, nil); err != nil {
		return Addresses{}, fmt.Errorf("deploy ServiceRegistry: %w", err)
	}
	return a, nil
}

// newDecoder decodes the reverts of both contracts.
func newDecoder() (*revertDecoder, error) {
	tb, err := bindings.TicketBrokerMetaData.ParseABI()
	if err != nil {
		return nil, fmt.Errorf("TicketBroker ABI: %w", err)
	}
	sr, err := bindings.ServiceRegistryMetaData.ParseABI()
	if err != nil {
		return nil, fmt.Errorf("ServiceRegistry ABI: %w", err)
	}
	return newRevertDecoder(tb, sr)
}
