package sender

import (
	"bytes"
	"context"
	"errors"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/castmesh/castmesh/payments/balance/balancetest"
	"github.com/castmesh/castmesh/payments/ticket"
	"github.com/castmesh/castmesh/payments/wei"
)

type fakeChain struct {
	block uint64
	funds Funds
	// gate, when set, is called by BlockNumber: a test lines requests up
	// with it.
	gate func()
}

func (c *fakeChain) BlockNumber(context.Context) (uint64, error) {
	if c.gate != nil {
		c.gate()
	}
	return c.block, nil
}

func (c *fakeChain) Funds(context.Context, common.Address, common.Address) (Funds, error) {
	return c.funds, nil
}

var (
	orch   = common.HexToAddress("0x00000000000000000000000000000000000000aa")
	broker = common.HexToAddress("0x00000000000000000000000000000000000000bb")
)

type env struct {
	s     *Sender
	chain *fakeChain
}

func newEnv(t *testing.T) *env {
	t.Helper()
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	balances := balancetest.Open(t)
	chain := &fakeChain{block: 100, funds: Funds{Deposit: big.NewInt(1e18), Reserve: big.NewInt(1e18)}}
	cfg := DefaultConfig()
	cfg.MinTicketEV, _ = wei.ParseAmount("100")
	cfg.MaxTicketEV, _ = wei.ParseAmount("5000")
	cfg.MaxTotalEV, _ = wei.ParseAmount("100000")
	cfg.MaxTicketsPerPayment = 50
	s, err := New(cfg, key, Terms{ChainID: 1337, Broker: broker, UnlockPeriod: 1000, TicketValidity: 500}, chain, balances)
	if err != nil {
		t.Fatal(err)
	}
	return &env{s: s, chain: chain}
}

// params are terms worth ev wei a ticket at face value 10 000.
func params(ev int64) *ticket.Params {
	face := big.NewInt(10_000)
	return &ticket.Params{
		Recipient: orch, FaceValue: face, WinProb: ticket.WinProbFor(big.NewRat(ev, 1), face),
		RecipientRandHash: ticket.RandHash(big.NewInt(5)), Seed: make([]byte, 32), ExpirationBlock: 120, ChainID: 1337, Broker: broker,
	}
}

func request(p *ticket.Params, fee int64) Request {
	return Request{Orchestrator: orch, Session: "s", Params: p, Price: big.NewRat(1, 10), Fee: big.NewRat(fee, 1)}
}

func TestPayCoversTheFee(t *testing.T) {
	e := newEnv(t)
	p := params(1000)
	ev := p.EV()
	pay, err := e.s.Pay(t.Context(), request(p, 4500))
	if err != nil {
		t.Fatal(err)
	}
	if len(pay.Tickets) != 5 || pay.Sender != e.s.Address() || pay.ExpectedPrice.Cmp(big.NewRat(1, 10)) != 0 {
		t.Fatalf("%d tickets for a fee of 4.5 EV", len(pay.Tickets))
	}
	for i, st := range pay.Tickets {
		if st.Nonce != uint32(i) || p.Ticket(pay.Sender, st.Nonce).Verify(st.Sig) != nil {
			t.Fatalf("ticket %d: nonce %d or signature wrong", i, st.Nonce)
		}
	}
	// A second request in flight can use only the ~500 wei the first does
	// not hold: 800 needs another ticket.
	second, err := e.s.Pay(t.Context(), request(p, 800))
	if err != nil || len(second.Tickets) != 1 {
		t.Fatalf("concurrent payment: %d tickets, %v", len(second.Tickets), err)
	}
	if err := e.s.Release(t.Context(), Key(orch, "s"), big.NewRat(800, 1), second); err != nil {
		t.Fatal(err)
	}
	// Settle what was delivered; the leftover credit pays the next piece.
	if _, err := e.s.Settle(t.Context(), Key(orch, "s"), big.NewRat(4500, 1), big.NewRat(4500, 1)); err != nil {
		t.Fatal(err)
	}
	pay, err = e.s.Pay(t.Context(), request(p, 400))
	if err != nil || len(pay.Tickets) != 0 {
		t.Fatalf("credit of ~%s covers 400: %d tickets, %v", new(big.Rat).Sub(new(big.Rat).Mul(ev, big.NewRat(5, 1)), big.NewRat(4500, 1)).FloatString(0), len(pay.Tickets), err)
	}
	if err := e.s.Release(t.Context(), Key(orch, "s"), big.NewRat(400, 1), nil); err != nil {
		t.Fatal(err)
	}
	// Nonce 5 went to the refused concurrent payment: never reused.
	pay, err = e.s.Pay(t.Context(), request(p, 2000))
	if err != nil || len(pay.Tickets) != 2 || pay.Tickets[0].Nonce != 6 {
		t.Fatalf("next payment: %d tickets from nonce %d, %v", len(pay.Tickets), pay.Tickets[0].Nonce, err)
	}
	if err := e.s.Release(t.Context(), Key(orch, "s"), big.NewRat(2000, 1), pay); err != nil {
		t.Fatal(err)
	}
	if b, _ := e.s.balances.Get(Key(orch, "s")); b.Held.Sign() != 0 {
		t.Fatalf("held %v after every request ended", b.Held)
	}
}

func TestPayRefuses(t *testing.T) {
	tests := []struct {
		name string
		req  func(e *env) Request
		want error
	}{
		{"price above the session's fixed price", func(e *env) Request {
			if _, err := e.s.Pay(context.Background(), request(params(1000), 100)); err != nil {
				panic(err)
			}
			r := request(params(1000), 100)
			r.Price = big.NewRat(2, 10)
			return r
		}, ErrPriceIncreased},
		{"price above the maximum", func(*env) Request {
			r := request(params(1000), 100)
			r.MaxPrice = big.NewRat(1, 20)
			return r
		}, ErrPriceTooHigh},
		{"another recipient", func(*env) Request {
			p := params(1000)
			p.Recipient = common.Address{1}
			return request(p, 100)
		}, ErrBadParams},
		{"another chain", func(*env) Request {
			p := params(1000)
			p.ChainID = 1
			return request(p, 100)
		}, ErrBadParams},
		{"EV above max_ticket_ev", func(*env) Request { return request(params(6000), 100) }, ErrBadParams},
		{"about to expire", func(e *env) Request {
			e.chain.block = 119
			return request(params(1000), 100)
		}, ErrBadParams},
		{"outliving an unlock", func(*env) Request {
			p := params(1000)
			p.ExpirationBlock = 100 + 600
			return request(p, 100)
		}, ErrBadParams},
		{"face value above the funds", func(e *env) Request {
			e.chain.funds = Funds{Deposit: big.NewInt(5000), Reserve: big.NewInt(4000)}
			return request(params(1000), 100)
		}, ErrBadParams},
		{"too many tickets", func(*env) Request { return request(params(1000), 200_000) }, ErrTooManyTickets},
		{"unlocking", func(e *env) Request {
			e.chain.funds.WithdrawBlock = 900
			return request(params(1000), 100)
		}, ErrUnlocking},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			if _, err := e.s.Pay(t.Context(), tt.req(e)); !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
		})
	}
}

func TestReady(t *testing.T) {
	e := newEnv(t)
	if err := e.s.Ready(t.Context()); err != nil {
		t.Fatal(err)
	}
	e.chain.funds = Funds{Deposit: new(big.Int), Reserve: big.NewInt(5)}
	if err := e.s.Ready(t.Context()); !errors.Is(err, ErrNoDeposit) {
		t.Fatalf("empty deposit: %v", err)
	}
	e.chain.funds = Funds{Deposit: big.NewInt(5), Reserve: new(big.Int), WithdrawBlock: 7}
	if err := e.s.Ready(t.Context()); !errors.Is(err, ErrUnlocking) {
		t.Fatalf("unlocking: %v", err)
	}
}

// TestTicketsFor checks named cases and, over random needs and EVs, the
// property that defines the count: n tickets cover the need, n − 1 do not,
// and a count past the limit is refused, never wrapped.
func TestTicketsFor(t *testing.T) {
	for _, c := range []struct {
		name           string
		need, ev, want int64
	}{
		{"nothing needed", 0, 10, 0},
		{"credit left over", -5, 10, 0},
		{"exactly one", 10, 10, 1},
		{"just over one", 11, 10, 2},
		{"a fraction", 1, 3, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got, err := ticketsFor(big.NewRat(c.need, 1), big.NewRat(c.ev, 1), 600); err != nil || got != c.want {
				t.Errorf("need %d ev %d: %d %v, want %d", c.need, c.ev, got, err, c.want)
			}
		})
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 10_000 {
		need := big.NewRat(rng.Int64N(1<<40)-1<<20, rng.Int64N(1<<20)+1)
		ev := big.NewRat(rng.Int64N(1<<30)+1, rng.Int64N(1<<20)+1)
		checkTicketsFor(t, need, ev, rng.Int64N(2000))
	}
}

// checkTicketsFor checks ticketsFor's property for one input.
func checkTicketsFor(t *testing.T, need, ev *big.Rat, limit int64) {
	t.Helper()
	n, err := ticketsFor(need, ev, limit)
	// exact is ceil(need / ev) computed another way: the smallest n ≥ 0
	// with n·ev ≥ need.
	exact := new(big.Int)
	if need.Sign() > 0 {
		q := new(big.Rat).Quo(need, ev)
		exact.Quo(q.Num(), q.Denom())
		if new(big.Rat).Mul(new(big.Rat).SetInt(exact), ev).Cmp(need) < 0 {
			exact.Add(exact, big.NewInt(1))
		}
	}
	if exact.Cmp(big.NewInt(limit)) > 0 {
		if !errors.Is(err, ErrTooManyTickets) || n != 0 {
			t.Fatalf("need %s ev %s limit %d: %d %v, want ErrTooManyTickets", need, ev, limit, n, err)
		}
		return
	}
	if err != nil || n != exact.Int64() || n < 0 {
		t.Fatalf("need %s ev %s: %d %v, want %s", need, ev, n, err, exact)
	}
	covered := new(big.Rat).Mul(ev, new(big.Rat).SetInt64(n))
	short := new(big.Rat).Sub(covered, ev)
	if covered.Cmp(need) < 0 || (n > 0 && short.Cmp(need) >= 0) {
		t.Fatalf("need %s ev %s: %d tickets do not fit", need, ev, n)
	}
}

// FuzzTicketsFor checks the property on need and EV built from arbitrary
// bytes, as large as a hostile orchestrator's price and params make them.
func FuzzTicketsFor(f *testing.F) {
	f.Add([]byte{1}, []byte{1}, []byte{3}, []byte{10}, int64(600))
	f.Add(bytes.Repeat([]byte{0xff}, 64), []byte{1}, []byte{1}, bytes.Repeat([]byte{0xff}, 32), int64(1000))
	f.Add([]byte{0}, []byte{1}, []byte{1}, []byte{1}, int64(0))
	f.Fuzz(func(t *testing.T, needNum, needDen, evNum, evDen []byte, limit int64) {
		if len(needNum) > 96 || len(needDen) > 96 || len(evNum) > 96 || len(evDen) > 96 {
			return
		}
		nd, en, ed := new(big.Int).SetBytes(needDen), new(big.Int).SetBytes(evNum), new(big.Int).SetBytes(evDen)
		if nd.Sign() == 0 || en.Sign() == 0 || ed.Sign() == 0 || limit < 0 {
			return
		}
		checkTicketsFor(t, new(big.Rat).SetFrac(new(big.Int).SetBytes(needNum), nd), new(big.Rat).SetFrac(en, ed), limit)
	})
}
