package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/castmesh/castmesh/payments/broker"
	"github.com/castmesh/castmesh/payments/wallet"
)

// opTimeout bounds one operator command: a transaction and its receipt.
const opTimeout = 2 * time.Minute

// dialWallet connects an operator command to the chain as the node's key.
func dialWallet(ctx context.Context, w wallet.Config) (*ethclient.Client, *broker.Client, error) {
	if err := w.Validate(); err != nil {
		return nil, nil, err
	}
	ec, bc, _, err := w.Dial(ctx)
	return ec, bc, err
}

// printJSON writes v indented.
func printJSON(out io.Writer, v any) error {
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// txDone reports a transaction an operator command sent.
func txDone(out io.Writer, what string, r *types.Receipt) {
	fmt.Fprintf(out, "%s: tx %s in block %s (gas %d)\n", what, r.TxHash.Hex(), r.BlockNumber, r.GasUsed)
}

// ether renders wei as ETH with full precision.
func ether(wei *big.Int) string {
	return new(big.Rat).SetFrac(wei, big.NewInt(1e18)).FloatString(18) + " ETH"
}
