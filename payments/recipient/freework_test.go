package recipient

import (
	"errors"
	"fmt"
	"math/big"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/ethereum/go-ethereum/common"
)

// Issue #12 finding 1: Cover let every session of a funded sender run one
// ticket's EV of work unpaid, and read the credit before holding it, so a
// sender (whose address is public) got free work on every new session and
// concurrent segments overdrew even that. Now a sender owes at most one EV
// across all its sessions, checked and held in one step.
func TestFreeWorkNeedsTicket(t *testing.T) {
	e := newEnv(t, nil)
	ev := e.r.TicketEV()
	quarter := new(big.Rat).Quo(ev, big.NewRat(4, 1))
	const sessions, segments = 8, 8
	var covered atomic.Int64
	var wg sync.WaitGroup
	for s := range sessions {
		for range segments {
			wg.Go(func() {
				err := e.r.Cover(Key(e.sender, fmt.Sprint("s", s)), quarter)
				switch {
				case err == nil:
					covered.Add(1)
				case !errors.Is(err, ErrInsufficientBalance):
					t.Error(err)
				}
			})
		}
	}
	wg.Wait()
	if got := covered.Load(); got != 4 {
		t.Fatalf("%d quarter-EV segments started unpaid across %d sessions; want 4 (one EV)", got, sessions)
	}
	if owed := e.r.Balances().Owed(e.sender.Hex()); owed.Cmp(ev) != 0 {
		t.Fatalf("sender owes %s, want one EV %s", owed.RatString(), ev.RatString())
	}
	// Another sender has its own single EV.
	if err := e.r.Cover(Key(common.Address{0x42}, "s0"), quarter); err != nil {
		t.Fatalf("another sender: %v", err)
	}
	// Work the sender pays for starts again: a new session paying three
	// tickets runs up to their EV, however much it owes elsewhere.
	p := e.params(t)
	if _, err := e.r.Receive(t.Context(), "paid", e.pay(t, p, 0, 3), e.price); err != nil {
		t.Fatal(err)
	}
	paid := new(big.Rat).Mul(p.EV(), big.NewRat(3, 1))
	if err := e.r.Cover(Key(e.sender, "paid"), paid); err != nil {
		t.Fatalf("paid work refused: %v", err)
	}
	if err := e.r.Cover(Key(e.sender, "paid"), big.NewRat(1, 1)); !errors.Is(err, ErrInsufficientBalance) {
		t.Fatalf("one wei past the paid credit, with the slack spent: %v", err)
	}
}

// TestDebtOutlivesTheSession: work settled beyond its credit stays owed,
// so the next session of that sender starts with no slack.
func TestDebtOutlivesTheSession(t *testing.T) {
	e := newEnv(t, nil)
	ev := e.r.TicketEV()
	k := Key(e.sender, "s1")
	if err := e.r.Cover(k, ev); err != nil {
		t.Fatal(err)
	}
	if _, err := e.r.Charge(t.Context(), k, ev, ev); err != nil {
		t.Fatal(err)
	}
	if err := e.r.Cover(Key(e.sender, "s2"), big.NewRat(1, 1)); !errors.Is(err, ErrInsufficientBalance) {
		t.Fatalf("a new session got work while the sender owes one EV: %v", err)
	}
}
