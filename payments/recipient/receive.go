package recipient

import (
	"context"
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"

	"github.com/castmesh/castmesh/payments/balance"
	"github.com/castmesh/castmesh/payments/ticket"
)

// Key is the balance a payment credits: the sender and its session.
func Key(sender common.Address, session string) balance.Key {
	return balance.Key{Peer: sender.Hex(), Session: session}
}

// Receive checks a payment for session and credits the EV of its valid
// tickets, returning the amount credited. ask is the price a new session
// must offer at least; an existing session must offer its fixed price.
func (r *Recipient) Receive(ctx context.Context, session string, p *ticket.Payment, ask *big.Rat) (*big.Rat, error) {
	rnd, err := r.checkParams(p)
	if err != nil {
		r.metrics.payments.WithLabelValues(reason(err)).Inc()
		return nil, err
	}
	key := Key(p.Sender, session)
	if err := r.fixPrice(ctx, key, p.ExpectedPrice, ask); err != nil {
		r.metrics.payments.WithLabelValues(reason(err)).Inc()
		return nil, err
	}
	credited := new(big.Rat)
	if len(p.Tickets) == 0 {
		return credited, nil
	}
	block, err := r.checkSender(ctx, p.Sender)
	if err != nil {
		r.metrics.payments.WithLabelValues(reason(err)).Inc()
		return nil, err
	}
	stop, err := r.tickets(ctx, p, rnd, block, credited)
	if err != nil {
		return nil, err // the winner queue failed: nothing is credited
	}
	if credited.Sign() > 0 {
		if _, err := r.balances.Credit(ctx, key, credited); err != nil {
			return nil, err
		}
	}
	r.metrics.payments.WithLabelValues(reason(stop)).Inc()
	return credited, stop
}

// checkParams checks the params are this recipient's, on this chain, and
// returns the random number behind them.
func (r *Recipient) checkParams(p *ticket.Payment) (*big.Int, error) {
	pr := &p.Params
	switch {
	case pr.Recipient != r.id.Address:
		return nil, fmt.Errorf("%w: %s", ErrWrongRecipient, pr.Recipient.Hex())
	case pr.ChainID != r.id.ChainID || pr.Broker != r.id.Broker:
		return nil, fmt.Errorf("%w: chain %d broker %s", ErrWrongChain, pr.ChainID, pr.Broker.Hex())
	case pr.FaceValue == nil || pr.WinProb == nil || p.ExpectedPrice == nil:
		return nil, fmt.Errorf("%w: missing face value, win probability or price", ticket.ErrBadField)
	}
	rnd := r.rand(p.Sender, pr)
	if ticket.RandHash(rnd) != pr.RecipientRandHash {
		return nil, ErrWrongRand
	}
	return rnd, nil
}

// fixPrice fixes a new session's price at the sender's expected price, if
// that is at least ask, and holds an existing session to its price.
func (r *Recipient) fixPrice(ctx context.Context, key balance.Key, expected, ask *big.Rat) error {
	if b, ok := r.balances.Get(key); !ok || b.Price == nil {
		if expected.Cmp(ask) < 0 {
			return fmt.Errorf("%w: offered %s, asking %s", ErrPriceTooLow, expected.RatString(), ask.RatString())
		}
	}
	_, err := r.balances.FixPrice(ctx, key, expected)
	return err
}

// checkSender refuses a sender that is unlocking or has no funds, and
// returns the current block.
func (r *Recipient) checkSender(ctx context.Context, sender common.Address) (uint64, error) {
	st, err := r.chain.SenderState(ctx, sender)
	if err != nil {
		return 0, fmt.Errorf("recipient: sender state: %w", err)
	}
	if st.WithdrawBlock != 0 {
		return 0, fmt.Errorf("%w: withdraws at block %d", ErrSenderUnlocking, st.WithdrawBlock)
	}
	if st.Deposit.Sign() == 0 && st.Reserve.Sign() == 0 {
		return 0, ErrNoSenderFunds
	}
	block, err := r.chain.BlockNumber(ctx)
	if err != nil {
		return 0, fmt.Errorf("recipient: block number: %w", err)
	}
	return block, nil
}

// tickets checks each ticket, queues winners and adds the EV of the valid
// ones to credited until the first invalid one, whose error it returns as
// stop. The nonces of the tickets that passed every other check are
// recorded durably, in one step, before any is credited. err is set only
// if a winner could not be queued or the nonces not recorded: then nothing
// is credited.
func (r *Recipient) tickets(ctx context.Context, p *ticket.Payment, rnd *big.Int, block uint64, credited *big.Rat) (stop, err error) {
	fresh := make([]uint32, 0, len(p.Tickets))
	for _, st := range p.Tickets {
		t := p.Params.Ticket(p.Sender, st.Nonce)
		if verr := t.Verify(st.Sig); verr != nil {
			if stop == nil {
				stop = verr
			}
			continue // a bad signature can neither win nor be credited
		}
		if ticket.Wins(st.Sig, rnd, t.WinProb) {
			if err := r.winners.Add(ctx, ticket.Winner{Ticket: *t, Sig: st.Sig, Rand: rnd}); err != nil {
				return nil, fmt.Errorf("recipient: queue winner: %w", err)
			}
			r.metrics.winners.Inc()
			r.logger.Info("winning ticket", "sender", p.Sender.Hex(), "face_value", t.FaceValue, "nonce", st.Nonce)
		}
		if stop != nil {
			continue
		}
		if block > t.ExpirationBlock {
			stop = fmt.Errorf("%w: at block %d, after %d", ErrParamsExpired, block, t.ExpirationBlock)
			continue
		}
		fresh = append(fresh, st.Nonce)
	}
	if len(fresh) == 0 {
		return stop, nil
	}
	took, uerr := r.nonces.use(ctx, nonceUse{
		randHash: p.Params.RecipientRandHash, expiration: p.Params.ExpirationBlock, nonces: fresh,
		max: r.cfg.MaxNonces, block: block, keep: r.id.TicketValidity,
	})
	switch {
	case errors.Is(uerr, ErrNonceReplay) || errors.Is(uerr, ErrTooManyNonces):
		stop = uerr // an earlier ticket than any other stop
	case uerr != nil:
		return nil, uerr
	}
	credited.Add(credited, new(big.Rat).Mul(p.Params.EV(), new(big.Rat).SetInt64(int64(took))))
	r.metrics.tickets.Add(float64(took))
	return stop, nil
}

// Cover checks a session can pay for work costing fee (wei) and holds fee
// of its credit for it, in one step (balance.Store.Cover): work starts only
// when credit no other work in flight holds covers it, except that a
// sender may owe at most one ticket's EV across all its sessions, and only
// on a session a valid ticket has paid. So a sender, whose address is
// public, gets at most one ticket's worth of work unpaid however many
// sessions it opens and segments it sends at once, and naming an address
// without signing for it gets nothing.
func (r *Recipient) Cover(key balance.Key, fee *big.Rat) error {
	if err := r.balances.Cover(key, fee, r.TicketEV()); err != nil {
		return fmt.Errorf("%w: %w", ErrInsufficientBalance, err)
	}
	return nil
}

// Balances is the store the recipient credits.
func (r *Recipient) Balances() *balance.Store { return r.balances }

// Charge ends the hold of work done and debits what it cost.
func (r *Recipient) Charge(ctx context.Context, key balance.Key, held, cost *big.Rat) (balance.Balance, error) {
	return r.balances.Settle(ctx, key, held, cost)
}

// Release ends the hold of work that did not happen.
func (r *Recipient) Release(key balance.Key, held *big.Rat) { r.balances.Release(key, held) }
