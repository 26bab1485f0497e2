package main

import (
	"context"
	"fmt"
	"io"
	"math/big"

	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/params"

	"github.com/castmesh/castmesh/payments/chain"
)

// runChain runs the embedded Ethereum dev chain until ctx ends.
func runChain(ctx context.Context, e env) error {
	cfg := chain.DefaultConfig()
	if err := load("chain", &cfg, e); err != nil {
		return err
	}
	log, err := logger(cfg.Log, e)
	if err != nil {
		return err
	}
	c, err := chain.New(ctx, cfg, log)
	if err != nil {
		return err
	}
	announceChain(e.stdout, cfg, c.Info())
	return c.Run(ctx)
}

// announceChain prints what a developer needs to use the chain, dev
// private keys included, as other dev chains do: they are public anyway.
func announceChain(out io.Writer, cfg chain.Config, info chain.Info) {
	eth := new(big.Int).Div(chain.DevBalance(), big.NewInt(params.Ether))
	fmt.Fprintf(out, `castmesh chain is up: chain id %d, a block every %s, data in %s

  JSON-RPC          %s
  TicketBroker      %s
  ServiceRegistry   %s

Dev accounts, funded with %s ETH each at genesis. Their private keys are
PUBLICLY KNOWN: use them on this dev chain only.
`, info.ChainID, cfg.BlockPeriod, cfg.DataDir, info.RPCURL, info.TicketBroker, info.ServiceRegistry, eth)
	for i, a := range info.Accounts {
		fmt.Fprintf(out, "  (%d) %s  0x%x\n", i, a, crypto.FromECDSA(chain.DevKey(i)))
	}
	fmt.Fprintf(out, "\nTry:\n  curl -s -H 'Content-Type: application/json' -d '{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_blockNumber\",\"params\":[]}' %s\n\n", info.RPCURL)
}
