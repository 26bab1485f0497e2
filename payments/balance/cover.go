package balance

import (
	"context"
	"errors"
	"fmt"
	"math/big"
)

// ErrNotCovered means a session's credit, with what its peer may still owe,
// does not cover the work asked for.
var ErrNotCovered = errors.New("credit does not cover the work")

// owing is what a balance's session was given beyond its credit:
// max(0, held − credit).
func owing(b *Balance) *big.Rat {
	o := new(big.Rat)
	if b == nil {
		return o
	}
	o.Sub(b.Held, b.Credit)
	if o.Sign() < 0 {
		o.SetInt64(0)
	}
	return o
}

// account moves the peer's owed total from what before owed to what after
// owes; either may be nil (a new or a forgotten session). Callers hold mu.
func (s *Store) account(k Key, before, after *Balance) {
	d := owing(after)
	d.Sub(d, owing(before))
	if d.Sign() == 0 {
		return
	}
	o, ok := s.owed[k.Peer]
	if !ok {
		o = new(big.Rat)
		s.owed[k.Peer] = o
	}
	o.Add(o, d)
	if o.Sign() <= 0 {
		delete(s.owed, k.Peer)
	}
}

// Owed is what peer's sessions together were given beyond their credit
// (work in flight or done, not paid for), in wei.
func (s *Store) Owed(peer string) *big.Rat {
	s.mu.Lock()
	defer s.mu.Unlock()
	if o, ok := s.owed[peer]; ok {
		return new(big.Rat).Set(o)
	}
	return new(big.Rat)
}

// Cover holds fee of session k's credit for work in flight, if the credit
// no other work holds covers it, or else if that leaves the peer owing at
// most slack across all its sessions; otherwise it holds nothing and
// returns ErrNotCovered. The check and the hold are one step under the
// store's lock, so concurrent work, on one session or many, cannot together
// overdraw the slack: a peer gets at most slack of work unpaid however many
// sessions it opens. Only a session that has been credited (a valid ticket
// proved the peer is who it says) may use the slack: anyone can name a
// peer's address, and a session never paid would otherwise spend that
// peer's slack, or an unfunded address's, for free.
func (s *Store) Cover(k Key, fee, slack *big.Rat) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.balances[k]
	next := newBalance()
	if ok {
		c := b.clone()
		next = &c
	}
	next.Held.Add(next.Held, fee)
	owed := new(big.Rat)
	if o, ok := s.owed[k.Peer]; ok {
		owed.Set(o)
	}
	owed.Add(owed, owing(next))
	owed.Sub(owed, owing(b))
	allowed := slack
	if next.Credited.Sign() <= 0 {
		allowed = new(big.Rat)
	}
	if owed.Cmp(allowed) > 0 {
		return fmt.Errorf("%w: %s wei of work asked, credit %s, the peer would owe %s, at most %s",
			ErrNotCovered, fee.FloatString(0), next.Credit.FloatString(0), owed.FloatString(0), allowed.FloatString(0))
	}
	if !ok {
		next.Updated = s.now()
	}
	s.account(k, b, next)
	s.balances[k] = next
	return nil
}

// Plan decides, from a session's balance (a copy), what to add to its
// credit for a new piece of work: the EV of the tickets it will attach. An
// error reserves nothing.
type Plan func(b Balance) (credit *big.Rat, err error)

// Reserve credits session k with what plan returns and holds fee of its
// credit, in one step under the store's lock and written through: two
// requests in flight at once cannot both count the same free credit.
// Unreserve undoes it when the payment cannot be made after all.
func (s *Store) Reserve(ctx context.Context, k Key, fee *big.Rat, plan Plan) (Balance, error) {
	return s.update(ctx, k, func(b *Balance) error {
		credit, err := plan(b.clone())
		if err != nil {
			return err
		}
		b.Credit.Add(b.Credit, credit)
		b.Credited.Add(b.Credited, credit)
		b.Held.Add(b.Held, fee)
		return nil
	})
}

// Unreserve undoes a Reserve of credit and fee.
func (s *Store) Unreserve(ctx context.Context, k Key, fee, credit *big.Rat) (Balance, error) {
	return s.update(ctx, k, func(b *Balance) error {
		b.Credit.Sub(b.Credit, credit)
		b.Credited.Sub(b.Credited, credit)
		b.Held.Sub(b.Held, fee)
		return nil
	})
}
