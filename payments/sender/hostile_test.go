package sender

import (
	"errors"
	"math/big"
	"sync"
	"testing"
	"time"

	"github.com/castmesh/castmesh/payments/ticket"
)

// Issue #12 finding 2: the gateway trusted the ticket params and price an
// orchestrator quotes; a tiny EV or a fee near overflow made Pay mint
// unbounded tickets or wrap ticketsFor's int64. Each is refused before
// anything is signed or reserved.
func TestHostileParamsRefused(t *testing.T) {
	huge := new(big.Int).Lsh(big.NewInt(1), 256)
	huge.Sub(huge, big.NewInt(1)) // the largest uint256 the wire carries
	tests := []struct {
		name string
		req  func() Request
		want error
	}{
		{"EV of one wei", func() Request { return request(params(1), 4500) }, ErrEVTooLow},
		{"EV below min_ticket_ev", func() Request { return request(params(99), 4500) }, ErrEVTooLow},
		{"zero win probability", func() Request {
			p := params(1000)
			p.WinProb = new(big.Int)
			return request(p, 4500)
		}, ErrBadParams},
		{"no params", func() Request { return request(nil, 4500) }, ErrBadParams},
		{"no face value", func() Request {
			p := params(1000)
			p.FaceValue = nil
			return request(p, 4500)
		}, ErrBadParams},
		{"huge face value", func() Request {
			p := params(1000)
			p.FaceValue, p.WinProb = huge, huge // EV = face value: far above max_ticket_ev
			return request(p, 4500)
		}, ErrBadParams},
		{"fee past max_tickets_per_payment", func() Request {
			return request(params(1000), 1000*51) // 51 tickets, within max_total_ev
		}, ErrTooManyTickets},
		{"fee near overflow", func() Request {
			r := request(params(1000), 1)
			r.Price = new(big.Rat).SetInt(huge)
			r.Fee = new(big.Rat).Mul(r.Price, new(big.Rat).SetInt(huge)) // 2^512 wei: ticketsFor would wrap int64
			return r
		}, ErrTooManyTickets},
		{"negative fee", func() Request { return request(params(1000), -1) }, ErrBadPrice},
		{"no price", func() Request {
			r := request(params(1000), 100)
			r.Price = nil
			return r
		}, ErrBadPrice},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			start := time.Now()
			pay, err := e.s.Pay(t.Context(), tt.req())
			if !errors.Is(err, tt.want) || pay != nil {
				t.Fatalf("got a payment (%v), %v; want %v", pay != nil, err, tt.want)
			}
			if d := time.Since(start); d > time.Second {
				t.Fatalf("refusing took %s", d)
			}
			if b, ok := e.s.balances.Get(Key(orch, "s")); ok && (b.Credit.Sign() != 0 || b.Held.Sign() != 0) {
				t.Fatalf("a refused payment reserved credit %s held %s", b.Credit.RatString(), b.Held.RatString())
			}
			e.s.mu.Lock()
			defer e.s.mu.Unlock()
			for _, set := range e.s.nonces {
				if set.next != 0 {
					t.Fatalf("a refused payment took %d nonces", set.next)
				}
			}
		})
	}
}

// Issue #12 finding 1 (gateway side): Pay read the balance, then credited
// and held under separate locks, so segments in flight at once counted
// the same free credit and the orchestrator saw them underpaid. Now the
// count and the hold are one reservation: however many run at once, every
// payment's fee is covered by credit no other holds.
func TestConcurrentPaymentsNeverShareCredit(t *testing.T) {
	e := newEnv(t)
	p := params(1000)
	ev := p.EV()
	// Leave the session some free credit that concurrent payments would
	// all like to use: 5 tickets, 4500 of work settled.
	if _, err := e.s.Pay(t.Context(), request(p, 4500)); err != nil {
		t.Fatal(err)
	}
	k := Key(orch, "s")
	if _, err := e.s.Settle(t.Context(), k, big.NewRat(4500, 1), big.NewRat(4500, 1)); err != nil {
		t.Fatal(err)
	}
	const n = 40
	fee := big.NewRat(700, 1)
	// Line every request up after the price check and before the balance,
	// where the old Pay read its free credit.
	var arrived sync.WaitGroup
	arrived.Add(n)
	e.chain.gate = func() {
		arrived.Done()
		arrived.Wait()
	}
	pays := make([]*ticket.Payment, n)
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			pay, err := e.s.Pay(t.Context(), request(p, 700))
			pays[i] = pay
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	// What the orchestrator will have credited: the free credit before
	// plus every payment's tickets. It must cover every fee in flight.
	credit := new(big.Rat).Sub(new(big.Rat).Mul(ev, big.NewRat(5, 1)), big.NewRat(4500, 1))
	nonces := map[uint32]bool{}
	for _, pay := range pays {
		credit.Add(credit, pay.EV())
		for _, st := range pay.Tickets {
			if nonces[st.Nonce] {
				t.Fatalf("nonce %d used twice", st.Nonce)
			}
			nonces[st.Nonce] = true
		}
	}
	held := new(big.Rat).Mul(fee, big.NewRat(n, 1))
	if credit.Cmp(held) < 0 {
		t.Fatalf("tickets worth %s wei cover %s wei of work in flight: credit was counted twice", credit.FloatString(0), held.FloatString(0))
	}
	// And no more than one ticket is paid beyond the need.
	if over := new(big.Rat).Sub(credit, held); over.Cmp(ev) >= 0 {
		t.Fatalf("overpaid by %s wei", over.FloatString(0))
	}
	b, _ := e.s.balances.Get(k)
	if b.Held.Cmp(held) != 0 || b.Credit.Cmp(credit) != 0 {
		t.Fatalf("store holds %s, credit %s; want %s, %s", b.Held.RatString(), b.Credit.RatString(), held.RatString(), credit.RatString())
	}
}

// TestSigningFailureUndoesTheReservation: a payment that cannot be signed
// gives back the credit and the hold it reserved.
func TestSigningFailureUndoesTheReservation(t *testing.T) {
	e := newEnv(t)
	broken := *e.s.key
	broken.D = new(big.Int) //nolint:staticcheck // a broken key on purpose: zero is no secp256k1 key, signing fails
	e.s.key = &broken
	if pay, err := e.s.Pay(t.Context(), request(params(1000), 4500)); err == nil || pay != nil {
		t.Fatalf("signed with a broken key: %v", err)
	}
	b, _ := e.s.balances.Get(Key(orch, "s"))
	if b.Credit.Sign() != 0 || b.Held.Sign() != 0 || b.Credited.Sign() != 0 {
		t.Fatalf("left credit %s, held %s after a failed payment", b.Credit.RatString(), b.Held.RatString())
	}
}

// TestFirstPaymentsPayTheirOwnWay: until the session has settled work, a
// request in flight does not count on the credit the session's first
// payment left over, since the orchestrator may see it first and lends no
// credit to a session no ticket has paid yet. Afterwards it does.
func TestFirstPaymentsPayTheirOwnWay(t *testing.T) {
	e := newEnv(t)
	p := params(1000)
	k := Key(orch, "s")
	if pay, err := e.s.Pay(t.Context(), request(p, 4500)); err != nil || len(pay.Tickets) != 5 {
		t.Fatalf("first payment: %v", err)
	}
	second, err := e.s.Pay(t.Context(), request(p, 400))
	if err != nil || len(second.Tickets) != 1 {
		t.Fatalf("a second request before anything settled counted on leftover credit: %v", err)
	}
	if _, err := e.s.Settle(t.Context(), k, big.NewRat(4500, 1), big.NewRat(4500, 1)); err != nil {
		t.Fatal(err)
	}
	third, err := e.s.Pay(t.Context(), request(p, 400))
	if err != nil || len(third.Tickets) != 0 {
		t.Fatalf("after settling, the leftover credit pays: %d tickets, %v", len(third.Tickets), err)
	}
}
