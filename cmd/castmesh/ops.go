package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/core/types"

	"github.com/castmesh/castmesh/payments/broker"
	"github.com/castmesh/castmesh/payments/wallet"
)

// opTimeout bounds one operator command: a transaction and its receipt.
const opTimeout = 2 * time.Minute

// dialWallet connects an operator command to the chain as the node's key;
// the returned context bounds the command, and done ends both.
func dialWallet(ctx context.Context, w wallet.Config) (context.Context, *broker.Client, func(), error) {
	if err := w.Validate(); err != nil {
		return nil, nil, nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, opTimeout)
	ec, bc, _, err := w.Dial(ctx)
	if err != nil {
		cancel()
		return nil, nil, nil, err
	}
	return ctx, bc, func() { ec.Close(); cancel() }, nil
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
