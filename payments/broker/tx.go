package broker

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
)

// receiptPollInterval is how often a transaction's receipt is asked for.
// bind.WaitMined polls once a second, which adds most of a second to every
// transaction on a dev chain that seals a block as soon as one arrives
// (geth --dev measured ~10 ms from send to receipt).
const receiptPollInterval = 50 * time.Millisecond

// transactor signs and sends one key's transactions, one at a time: each
// waits for its receipt before the next is built, so nonces never collide
// and each gas estimate sees the effects of the transactions before it.
type transactor struct {
	backend Backend
	key     *ecdsa.PrivateKey
	from    common.Address
	decoder *revertDecoder
	mu      sync.Mutex
}

func newTransactor(b Backend, key *ecdsa.PrivateKey, d *revertDecoder) *transactor {
	return &transactor{backend: b, key: key, from: crypto.PubkeyToAddress(key.PublicKey), decoder: d}
}

// sendFunc builds, signs and sends one transaction with opts (gas limit 0:
// bind estimates it).
type sendFunc func(opts *bind.TransactOpts) (*types.Transaction, error)

// send runs one transaction to its receipt. A revert during gas estimation
// comes back as a *RevertError. A transaction mined with status 0 returns
// its receipt (its gas was spent) and an error matching ErrTxFailed.
func (t *transactor) send(ctx context.Context, chainID, value *big.Int, fn sendFunc) (*types.Receipt, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	opts := bind.NewKeyedTransactor(t.key, chainID)
	opts.Context = ctx
	opts.Value = value
	tx, err := fn(opts)
	if err != nil {
		return nil, t.decoder.wrap(err)
	}
	receipt, err := waitMined(ctx, t.backend, tx.Hash())
	if err != nil {
		return nil, err
	}
	if receipt.Status != types.ReceiptStatusSuccessful {
		return receipt, t.failure(ctx, tx, receipt)
	}
	return receipt, nil
}

// failure explains a transaction mined with status 0. It replays the
// transaction as a call on the state after its block, best effort: that
// finds the usual cause (a rival redeemed the same ticket in the same
// block) but need not be the exact state the transaction ran on.
func (t *transactor) failure(ctx context.Context, tx *types.Transaction, r *types.Receipt) error {
	msg := ethereum.CallMsg{From: t.from, To: tx.To(), Gas: tx.Gas(), Value: tx.Value(), Data: tx.Data()}
	_, err := t.backend.CallContract(ctx, msg, r.BlockNumber)
	var re *RevertError
	if errors.As(t.decoder.wrap(err), &re) {
		return fmt.Errorf("%w: tx %s: %w", ErrTxFailed, tx.Hash(), re)
	}
	return fmt.Errorf("%w: tx %s (gas used %d of %d)", ErrTxFailed, tx.Hash(), r.GasUsed, tx.Gas())
}

// deploy creates a contract from its creation code and constructor input
// and returns its address.
func (t *transactor) deploy(ctx context.Context, chainID *big.Int, bin string, ctorInput []byte) (common.Address, error) {
	code := common.FromHex(bin)
	r, err := t.send(ctx, chainID, nil, func(opts *bind.TransactOpts) (*types.Transaction, error) {
		_, tx, err := bind.DeployContract(opts, code, t.backend, ctorInput)
		return tx, err
	})
	if err != nil {
		return common.Address{}, err
	}
	return r.ContractAddress, nil
}

// waitMined polls for a transaction's receipt until it is mined or ctx
// ends. Errors other than "not found" are retried too (a node restarting,
// a dropped connection): the transaction may still be mined.
func waitMined(ctx context.Context, b bind.DeployBackend, hash common.Hash) (*types.Receipt, error) {
	tick := time.NewTicker(receiptPollInterval)
	defer tick.Stop()
	var last error
	for {
		r, err := b.TransactionReceipt(ctx, hash)
		if err == nil {
			return r, nil
		}
		if !errors.Is(err, ethereum.NotFound) && ctx.Err() == nil {
			last = err
		}
		select {
		case <-ctx.Done():
			if last != nil {
				return nil, fmt.Errorf("wait for tx %s: %w (last error: %w)", hash, ctx.Err(), last)
			}
			return nil, fmt.Errorf("wait for tx %s: %w", hash, ctx.Err())
		case <-tick.C:
		}
	}
}
