package chain

import (
	"context"
	"time"
)

// sealLoop seals a block every BlockPeriod until ctx ends. It is the only
// caller of the beacon, whose methods are not safe for concurrent use.
func (c *Chain) sealLoop(ctx context.Context) {
	tick := time.NewTicker(c.cfg.BlockPeriod)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			c.seal()
		}
	}
}

// seal seals one block with the pending transactions (possibly none), then
// syncs the database's write-ahead log. go-ethereum writes to pebble
// without waiting for the log and flushes it only every ~500 KB, so a
// killed process would otherwise lose minutes of dev-chain blocks; one
// fsync per block is cheap at dev-chain rates.
func (c *Chain) seal() {
	before := c.eth.BlockChain().CurrentBlock().Number.Uint64()
	// Commit logs its errors through go-ethereum's logger, which is
	// silent, so a head that did not move is reported here.
	c.beacon.Commit()
	after := c.eth.BlockChain().CurrentBlock().Number.Uint64()
	if after <= before {
		c.logger.Warn("block not sealed", "head", after)
		return
	}
	if err := c.eth.ChainDb().SyncKeyValue(); err != nil {
		c.logger.Warn("syncing the chain database", "block", after, "err", err)
	}
}
