// Package onchain connects the payment logic to a deployed TicketBroker:
// it adapts broker.Client to what the recipient, the sender and the
// redeemer each read and send. Sender state is cached for a short while,
// because every segment's payment asks for it and it changes only with
// transactions that take a block to land.
package onchain

import (
	"context"
	"math/big"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/castmesh/castmesh/payments/broker"
	"github.com/castmesh/castmesh/payments/recipient"
	"github.com/castmesh/castmesh/payments/redeemer"
	"github.com/castmesh/castmesh/payments/sender"
	"github.com/castmesh/castmesh/payments/ticket"
)

// cacheFor is how long a sender's funds are reused: about one block.
const cacheFor = time.Second

// Chain is a broker client seen by one account.
type Chain struct {
	c       *broker.Client
	backend broker.Backend
	self    common.Address

	mu    sync.Mutex
	cache map[[2]common.Address]cached
}

type cached struct {
	funds sender.Funds
	at    time.Time
}

// New adapts c, whose account is self.
func New(c *broker.Client, b broker.Backend) *Chain {
	return &Chain{c: c, backend: b, self: c.Address(), cache: map[[2]common.Address]cached{}}
}

// Client is the broker client.
func (x *Chain) Client() *broker.Client { return x.c }

// BlockNumber is the chain's head.
func (x *Chain) BlockNumber(ctx context.Context) (uint64, error) { return x.c.BlockNumber(ctx) }

// GasPrice is the gas price a transaction would pay now.
func (x *Chain) GasPrice(ctx context.Context) (*big.Int, error) {
	return x.backend.SuggestGasPrice(ctx)
}

// Funds reads sender's deposit, unlock state and reserve for recipient.
func (x *Chain) Funds(ctx context.Context, s, r common.Address) (sender.Funds, error) {
	k := [2]common.Address{s, r}
	x.mu.Lock()
	c, ok := x.cache[k]
	x.mu.Unlock()
	if ok && time.Since(c.at) < cacheFor {
		return c.funds, nil
	}
	info, err := x.c.SenderInfo(ctx, s)
	if err != nil {
		return sender.Funds{}, err
	}
	reserve := new(big.Int)
	if r != (common.Address{}) {
		if reserve, err = x.c.ReserveFor(ctx, s, r); err != nil {
			return sender.Funds{}, err
		}
	}
	f := sender.Funds{Deposit: info.Deposit, Reserve: reserve, WithdrawBlock: info.WithdrawBlock}
	x.mu.Lock()
	x.cache[k] = cached{funds: f, at: time.Now()}
	x.mu.Unlock()
	return f, nil
}

// Forget drops the cached funds, after a transaction that changed them.
func (x *Chain) Forget() {
	x.mu.Lock()
	defer x.mu.Unlock()
	clear(x.cache)
}

// SenderState is sender's funds as this recipient sees them.
func (x *Chain) SenderState(ctx context.Context, s common.Address) (recipient.SenderState, error) {
	f, err := x.Funds(ctx, s, x.self)
	if err != nil {
		return recipient.SenderState{}, err
	}
	return recipient.SenderState{Deposit: f.Deposit, Reserve: f.Reserve, WithdrawBlock: f.WithdrawBlock}, nil
}

// Redeem redeems a winning ticket and reports what it paid.
func (x *Chain) Redeem(ctx context.Context, w ticket.Winner) (redeemer.Redemption, error) {
	receipt, err := x.c.Redeem(ctx, &w.Ticket, w.Sig, w.Rand)
	if err != nil {
		return redeemer.Redemption{}, err
	}
	x.Forget()
	red, err := x.c.Redemption(receipt)
	if err != nil {
		return redeemer.Redemption{}, err
	}
	return redeemer.Redemption{TxHash: receipt.TxHash, Paid: red.Paid}, nil
}

// IsUsed reports whether a ticket was redeemed already.
func (x *Chain) IsUsed(ctx context.Context, h common.Hash) (bool, error) { return x.c.IsUsed(ctx, h) }

// TicketValidity is the broker's redemption window past a ticket's
// expiration block.
func (x *Chain) TicketValidity(ctx context.Context) (uint64, error) { return x.c.TicketValidity(ctx) }

// Terms are the broker's fixed parameters a sender checks params against.
func (x *Chain) Terms(ctx context.Context) (sender.Terms, error) {
	id, err := x.c.ChainID(ctx)
	if err != nil {
		return sender.Terms{}, err
	}
	unlock, err := x.c.UnlockPeriod(ctx)
	if err != nil {
		return sender.Terms{}, err
	}
	validity, err := x.c.TicketValidity(ctx)
	if err != nil {
		return sender.Terms{}, err
	}
	return sender.Terms{ChainID: id, Broker: x.c.Addresses().TicketBroker, UnlockPeriod: unlock, TicketValidity: validity}, nil
}

var (
	_ recipient.Chain = (*Chain)(nil)
	_ sender.Chain    = (*Chain)(nil)
	_ redeemer.Broker = (*Chain)(nil)
)
