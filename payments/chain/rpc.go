package chain

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
)

// pollInterval is how often WaitMined and WaitBlocks ask the node. It is
// short because a dev chain seals every second or faster; bind.WaitMined
// polls once a second, which would double the latency of every call.
const pollInterval = 20 * time.Millisecond

// Client is the part of an Ethereum JSON-RPC client that Fund uses.
// *ethclient.Client (ethclient.Dial) and simulated.Client satisfy it.
type Client interface {
	ChainID(ctx context.Context) (*big.Int, error)
	HeaderByNumber(ctx context.Context, number *big.Int) (*types.Header, error)
	PendingNonceAt(ctx context.Context, account common.Address) (uint64, error)
	SuggestGasTipCap(ctx context.Context) (*big.Int, error)
	EstimateGas(ctx context.Context, call ethereum.CallMsg) (uint64, error)
	SendTransaction(ctx context.Context, tx *types.Transaction) error
	ReceiptReader
}

// ReceiptReader reads transaction receipts; WaitMined needs nothing else.
type ReceiptReader interface {
	TransactionReceipt(ctx context.Context, txHash common.Hash) (*types.Receipt, error)
}

// Fund sends wei from the account of from to to in an EIP-1559
// transaction and waits until it is mined, failing with ErrTxFailed if it
// reverted. It takes the pending nonce, so concurrent calls with the same
// key can collide: serialise them.
func Fund(ctx context.Context, client Client, from *ecdsa.PrivateKey, to common.Address, wei *big.Int) error {
	tx, err := signTx(ctx, client, from, &to, wei, nil)
	if err != nil {
		return fmt.Errorf("fund %s: %w", to, err)
	}
	if err := client.SendTransaction(ctx, tx); err != nil {
		return fmt.Errorf("fund %s: sending: %w", to, err)
	}
	if _, err := WaitMined(ctx, client, tx.Hash()); err != nil {
		return fmt.Errorf("fund %s: %w", to, err)
	}
	return nil
}

// signTx builds and signs a dynamic-fee transaction; to nil creates a
// contract from data. The fee cap is twice the head's base fee plus the
// tip, the usual margin for a base fee rising over the next blocks.
func signTx(ctx context.Context, client Client, key *ecdsa.PrivateKey, to *common.Address, wei *big.Int, data []byte) (*types.Transaction, error) {
	from := crypto.PubkeyToAddress(key.PublicKey)
	id, err := client.ChainID(ctx)
	if err != nil {
		return nil, fmt.Errorf("chain id: %w", err)
	}
	nonce, err := client.PendingNonceAt(ctx, from)
	if err != nil {
		return nil, fmt.Errorf("nonce: %w", err)
	}
	tip, err := client.SuggestGasTipCap(ctx)
	if err != nil {
		return nil, fmt.Errorf("gas tip: %w", err)
	}
	head, err := client.HeaderByNumber(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("head: %w", err)
	}
	feeCap := new(big.Int).Add(tip, new(big.Int).Mul(head.BaseFee, big.NewInt(2)))
	gas, err := client.EstimateGas(ctx, ethereum.CallMsg{From: from, To: to, Value: wei, Data: data})
	if err != nil {
		return nil, fmt.Errorf("estimating gas: %w", err)
	}
	tx := types.NewTx(&types.DynamicFeeTx{
		ChainID: id, Nonce: nonce, GasTipCap: tip, GasFeeCap: feeCap, Gas: gas, To: to, Value: wei, Data: data,
	})
	return types.SignTx(tx, types.LatestSignerForChainID(id), key)
}

// WaitMined polls for a transaction's receipt every 20 ms until it is
// mined or ctx ends. A mined transaction that reverted returns its receipt
// and ErrTxFailed.
func WaitMined(ctx context.Context, client ReceiptReader, txHash common.Hash) (*types.Receipt, error) {
	tick := time.NewTicker(pollInterval)
	defer tick.Stop()
	for {
		r, err := client.TransactionReceipt(ctx, txHash)
		if err == nil {
			if r.Status != types.ReceiptStatusSuccessful {
				return r, fmt.Errorf("%w: tx %s in block %d", ErrTxFailed, txHash, r.BlockNumber)
			}
			return r, nil
		}
		// Not found yet, or the node is still indexing: ask again.
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("waiting for tx %s: %w", txHash, errors.Join(ctx.Err(), err))
		case <-tick.C:
		}
	}
}

// WaitBlocks waits until the chain is n blocks past its head at the call,
// polling eth_blockNumber every 20 ms, and returns the head it saw.
func WaitBlocks(ctx context.Context, client ethereum.BlockNumberReader, n uint64) (uint64, error) {
	start, err := client.BlockNumber(ctx)
	if err != nil {
		return 0, fmt.Errorf("block number: %w", err)
	}
	tick := time.NewTicker(pollInterval)
	defer tick.Stop()
	for head := start; ; {
		if head >= start+n {
			return head, nil
		}
		select {
		case <-ctx.Done():
			return head, fmt.Errorf("waiting for block %d (at %d): %w", start+n, head, ctx.Err())
		case <-tick.C:
		}
		if head, err = client.BlockNumber(ctx); err != nil {
			return 0, fmt.Errorf("block number: %w", err)
		}
	}
}
