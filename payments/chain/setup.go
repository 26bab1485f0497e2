package chain

import (
	"context"
	"fmt"
	"math/big"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
)

// setupTimeout bounds the first-start contract deployment.
const setupTimeout = 2 * time.Minute

// setup deploys the contracts on first start, or checks them on later
// starts, and writes chain.json with this run's RPC URL.
func (c *Chain) setup(ctx context.Context) error {
	stored, ok, err := readInfo(c.cfg.DataDir)
	if err != nil {
		return err
	}
	if ok {
		if err := c.checkContracts(ctx, stored); err != nil {
			return err
		}
		c.info = stored
		if n := len(stored.Accounts); n != c.cfg.Accounts {
			c.logger.Warn("accounts differs from the existing chain's genesis; using the genesis", "accounts", n)
		}
	} else {
		if c.info, err = c.firstStart(ctx); err != nil {
			return err
		}
	}
	c.info.ChainID = chainID
	c.info.RPCURL = c.URL()
	if err := writeInfo(c.cfg.DataDir, c.info); err != nil {
		return fmt.Errorf("data_dir: %w", err)
	}
	return nil
}

// firstStart deploys the contracts from DevKey(0), sealing blocks while it
// waits for their receipts.
func (c *Chain) firstStart(ctx context.Context) (Info, error) {
	ctx, cancel := context.WithTimeout(ctx, setupTimeout)
	var wg sync.WaitGroup
	wg.Go(func() { c.sealLoop(ctx) })
	defer func() {
		cancel()
		wg.Wait()
	}()
	start := time.Now()
	addrs, err := deployContracts(ctx, c.client, c.cfg)
	if err != nil {
		return Info{}, fmt.Errorf("deploying contracts: %w", err)
	}
	c.logger.Info("contracts deployed", "ticket_broker", addrs.TicketBroker, "service_registry", addrs.ServiceRegistry,
		"took", time.Since(start).Round(time.Millisecond))
	info := Info{TicketBroker: addrs.TicketBroker, ServiceRegistry: addrs.ServiceRegistry}
	for i := range c.cfg.Accounts {
		info.Accounts = append(info.Accounts, DevAddress(i))
	}
	return info, nil
}

// checkContracts fails with ErrContractsMissing unless both contracts in
// info have code at the head block.
func (c *Chain) checkContracts(ctx context.Context, info Info) error {
	for name, addr := range map[string]common.Address{"ticket_broker": info.TicketBroker, "service_registry": info.ServiceRegistry} {
		code, err := c.client.CodeAt(ctx, addr, (*big.Int)(nil))
		if err != nil {
			return fmt.Errorf("reading %s code: %w", name, err)
		}
		if len(code) == 0 {
			return fmt.Errorf("%w: %s %s (remove %s to start a new chain)", ErrContractsMissing, name, addr, c.cfg.DataDir)
		}
	}
	return nil
}
