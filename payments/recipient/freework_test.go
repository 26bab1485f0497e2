package recipient

import (
	"errors"
	"fmt"
	"math/big"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/castmesh/castmesh/payments/balance"
)

// coverAll runs segments quarter-EV segments at once on each session and
// returns how many Cover let start.
func coverAll(t *testing.T, r *Recipient, keys []balance.Key, segments int) int64 {
	t.Helper()
	quarter := new(big.Rat).Quo(r.TicketEV(), big.NewRat(4, 1))
	var covered atomic.Int64
	var wg sync.WaitGroup
	for _, k := range keys {
		for range segments {
			wg.Go(func() {
				switch err := r.Cover(k, quarter); {
				case err == nil:
					covered.Add(1)
				case !errors.Is(err, ErrInsufficientBalance):
					t.Error(err)
				}
			})
		}
	}
	wg.Wait()
	return covered.Load()
}

// Issue #12 finding 1: Cover let every session of a funded sender run one
// ticket's EV of work unpaid, and read the credit before holding it, so
// anyone naming a funded sender's (public) address got free work on every
// new session, and concurrent segments overdrew even that. Now a sender
// owes at most one EV across all its sessions, checked and held in one
// step, and a session no valid ticket paid gets none of it.
func TestFreeWorkNeedsTicket(t *testing.T) {
	t.Run("no tickets, many sessions", func(t *testing.T) {
		e := newEnv(t, nil)
		var keys []balance.Key
		for s := range 8 {
			keys = append(keys, Key(e.sender, fmt.Sprint("s", s)))
		}
		// A freeloader names a funded sender and never signs a ticket.
		for s := range keys {
			if _, err := e.r.Receive(t.Context(), keys[s].Session, e.pay(t, e.params(t), 0, 0), e.price); err != nil {
				t.Fatal(err)
			}
		}
		if got := coverAll(t, e.r, keys, 8); got != 0 {
			t.Fatalf("%d quarter-EV segments started with no ticket across %d sessions; want none", got, len(keys))
		}
	})
	t.Run("one ticket a session, concurrent segments", func(t *testing.T) {
		e := newEnv(t, nil)
		var keys []balance.Key
		p := e.params(t)
		for s := range 8 {
			keys = append(keys, Key(e.sender, fmt.Sprint("s", s)))
			if _, err := e.r.Receive(t.Context(), keys[s].Session, e.pay(t, p, uint32(s), 1), e.price); err != nil {
				t.Fatal(err)
			}
		}
		// Each session's ticket pays for (a little under) four quarters; the
		// sender may owe one EV more, in all.
		got := coverAll(t, e.r, keys, 8)
		quarter := new(big.Rat).Quo(e.r.TicketEV(), big.NewRat(4, 1))
		worked := new(big.Rat).Mul(quarter, big.NewRat(got, 1))
		limit := new(big.Rat).Add(new(big.Rat).Mul(p.EV(), big.NewRat(8, 1)), e.r.TicketEV())
		if worked.Cmp(limit) > 0 || got < 8*3 {
			t.Fatalf("%d quarter-EV segments (%s wei) started on 8 tickets; want at least 24, worth at most %s",
				got, worked.FloatString(0), limit.FloatString(0))
		}
		if owed := e.r.Balances().Owed(e.sender.Hex()); owed.Cmp(e.r.TicketEV()) > 0 {
			t.Fatalf("sender owes %s, more than one EV", owed.RatString())
		}
		// Another sender has its own single EV.
		other := Key(common.Address{0x42}, "s0")
		if _, err := e.r.balances.Credit(t.Context(), other, big.NewRat(1, 1)); err != nil {
			t.Fatal(err)
		}
		if n := coverAll(t, e.r, []balance.Key{other}, 8); n != 4 {
			t.Fatalf("another sender started %d quarter-EV segments on one wei, want 4", n)
		}
	})
}

// TestDebtOutlivesTheSession: work settled beyond its credit stays owed,
// so the sender's next session starts with no slack.
func TestDebtOutlivesTheSession(t *testing.T) {
	e := newEnv(t, nil)
	ev := e.r.TicketEV()
	one := big.NewRat(1, 1)
	s1, s2 := Key(e.sender, "s1"), Key(e.sender, "s2")
	for _, k := range []balance.Key{s1, s2} {
		if _, err := e.r.balances.Credit(t.Context(), k, one); err != nil {
			t.Fatal(err)
		}
	}
	fee := new(big.Rat).Add(ev, one)
	if err := e.r.Cover(s1, fee); err != nil {
		t.Fatal(err)
	}
	if _, err := e.r.Charge(t.Context(), s1, fee, fee); err != nil {
		t.Fatal(err)
	}
	if err := e.r.Cover(s2, big.NewRat(2, 1)); !errors.Is(err, ErrInsufficientBalance) {
		t.Fatalf("a new session got work past its credit while the sender owes one EV: %v", err)
	}
	if err := e.r.Cover(s2, one); err != nil {
		t.Fatalf("paid work refused: %v", err)
	}
}
