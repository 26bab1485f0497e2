package broker

import (
	"context"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// SenderInfo is a sender's escrow in the TicketBroker.
type SenderInfo struct {
	// Deposit is paid out first for any of the sender's winning tickets,
	// in wei.
	Deposit *big.Int
	// WithdrawBlock is the first block at which the sender may withdraw;
	// 0 while it is locked (not unlocking).
	WithdrawBlock uint64
	// ReserveTotal is the sum of the sender's per-recipient reserves, in
	// wei.
	ReserveTotal *big.Int
}

// Unlocking reports whether the sender has started an unlock: recipients
// should stop accepting its tickets.
func (s SenderInfo) Unlocking() bool { return s.WithdrawBlock != 0 }

// FundDeposit adds wei to the client's deposit, cancelling its unlock if
// one is in progress.
func (c *Client) FundDeposit(ctx context.Context, wei *big.Int) (*types.Receipt, error) {
	if err := checkAmount(wei); err != nil {
		return nil, err
	}
	r, err := c.transact(ctx, c.brokerC, wei, c.broker.PackFundDeposit())
	return r, wrapf(err, "fund deposit")
}

// FundReserve adds wei to the client's reserve for recipient, cancelling
// its unlock if one is in progress.
func (c *Client) FundReserve(ctx context.Context, recipient common.Address, wei *big.Int) (*types.Receipt, error) {
	if err := checkAmount(wei); err != nil {
		return nil, err
	}
	r, err := c.transact(ctx, c.brokerC, wei, c.broker.PackFundReserve(recipient))
	return r, wrapf(err, "fund reserve")
}

// FundDepositAndReserve adds deposit to the client's deposit and reserve
// to its reserve for recipient in one transaction.
func (c *Client) FundDepositAndReserve(ctx context.Context, recipient common.Address, deposit, reserve *big.Int) (*types.Receipt, error) {
	if err := checkAmount(deposit); err != nil {
		return nil, err
	}
	if err := checkAmount(reserve); err != nil {
		return nil, err
	}
	data := c.broker.PackFundDepositAndReserve(recipient, deposit, reserve)
	r, err := c.transact(ctx, c.brokerC, new(big.Int).Add(deposit, reserve), data)
	return r, wrapf(err, "fund deposit and reserve")
}

// Unlock starts the client's unlock period.
func (c *Client) Unlock(ctx context.Context) (*types.Receipt, error) {
	r, err := c.transact(ctx, c.brokerC, nil, c.broker.PackUnlock())
	return r, wrapf(err, "unlock")
}

// CancelUnlock cancels the client's unlock: it is locked again.
func (c *Client) CancelUnlock(ctx context.Context) (*types.Receipt, error) {
	r, err := c.transact(ctx, c.brokerC, nil, c.broker.PackCancelUnlock())
	return r, wrapf(err, "cancel unlock")
}

// Withdraw pays the client its deposit and every reserve, once its unlock
// period has passed.
func (c *Client) Withdraw(ctx context.Context) (*types.Receipt, error) {
	r, err := c.transact(ctx, c.brokerC, nil, c.broker.PackWithdraw())
	return r, wrapf(err, "withdraw")
}

// SenderInfo reads sender's escrow.
func (c *Client) SenderInfo(ctx context.Context, sender common.Address) (SenderInfo, error) {
	out, err := call(ctx, c, c.brokerC, c.broker.PackGetSenderInfo(sender), c.broker.UnpackGetSenderInfo)
	if err != nil {
		return SenderInfo{}, fmt.Errorf("sender info of %s: %w", sender, err)
	}
	if !out.WithdrawBlock.IsUint64() {
		return SenderInfo{}, fmt.Errorf("sender info of %s: withdraw block %s out of range", sender, out.WithdrawBlock)
	}
	return SenderInfo{Deposit: out.Deposit, WithdrawBlock: out.WithdrawBlock.Uint64(), ReserveTotal: out.ReserveTotal}, nil
}

// ReserveFor reads what sender has reserved for recipient, in wei.
func (c *Client) ReserveFor(ctx context.Context, sender, recipient common.Address) (*big.Int, error) {
	r, err := call(ctx, c, c.brokerC, c.broker.PackReserveFor(sender, recipient), c.broker.UnpackReserveFor)
	return r, wrapf(err, "reserve of %s for %s", sender, recipient)
}

// UnlockPeriod reads the broker's unlock period, in blocks.
func (c *Client) UnlockPeriod(ctx context.Context) (uint64, error) {
	v, err := call(ctx, c, c.brokerC, c.broker.PackUnlockPeriod(), c.broker.UnpackUnlockPeriod)
	return blocks(v, err, "unlock period")
}

// TicketValidity reads how many blocks after its expiration block a
// ticket stays redeemable.
func (c *Client) TicketValidity(ctx context.Context) (uint64, error) {
	v, err := call(ctx, c, c.brokerC, c.broker.PackTicketValidity(), c.broker.UnpackTicketValidity)
	return blocks(v, err, "ticket validity")
}

// blocks converts a uint256 block count to uint64.
func blocks(v *big.Int, err error, what string) (uint64, error) {
	if err != nil {
		return 0, fmt.Errorf("%s: %w", what, err)
	}
	if !v.IsUint64() {
		return 0, fmt.Errorf("%s: %s blocks out of range", what, v)
	}
	return v.Uint64(), nil
}

// checkAmount requires an amount of wei to be a uint256.
func checkAmount(wei *big.Int) error {
	if !isUint256(wei) {
		return fmt.Errorf("%w: %v wei", ErrBadAmount, wei)
	}
	return nil
}

// isUint256 reports whether x is set and fits a uint256.
func isUint256(x *big.Int) bool { return x != nil && x.Sign() >= 0 && x.BitLen() <= 256 }

// wrapf adds context to a non-nil error.
func wrapf(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf(format+": %w", append(args, err)...)
}
