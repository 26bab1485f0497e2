package sender

import (
	"context"
	"errors"
	"math/big"
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
}

func (c *fakeChain) BlockNumber(context.Context) (uint64, error) { return c.block, nil }

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
	cfg.MaxTicketEV, _ = wei.ParseAmount("5000")
	cfg.MaxTotalEV, _ = wei.ParseAmount("100000")
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

func TestTicketsFor(t *testing.T) {
	for _, c := range []struct{ need, ev, want int64 }{{0, 10, 0}, {-5, 10, 0}, {10, 10, 1}, {11, 10, 2}, {1, 3, 1}} {
		if got := ticketsFor(big.NewRat(c.need, 1), big.NewRat(c.ev, 1)); got != c.want {
			t.Errorf("need %d ev %d: %d, want %d", c.need, c.ev, got, c.want)
		}
	}
}
