package recipient

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"log/slog"
	"math/big"
	"sync"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/castmesh/castmesh/payments/balance"
	"github.com/castmesh/castmesh/payments/balance/balancetest"
	"github.com/castmesh/castmesh/payments/ticket"
	"github.com/castmesh/castmesh/payments/wei"
)

type fakeChain struct {
	mu     sync.Mutex
	block  uint64
	gas    *big.Int
	states map[common.Address]SenderState
}

func (c *fakeChain) BlockNumber(context.Context) (uint64, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.block, nil
}

func (c *fakeChain) GasPrice(context.Context) (*big.Int, error) { return c.gas, nil }

func (c *fakeChain) SenderState(_ context.Context, s common.Address) (SenderState, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	st, ok := c.states[s]
	if !ok {
		return SenderState{Deposit: new(big.Int), Reserve: new(big.Int)}, nil
	}
	return st, nil
}

type fakeWinners struct {
	mu      sync.Mutex
	winners []ticket.Winner
	pending *big.Int
}

func (w *fakeWinners) Add(_ context.Context, x ticket.Winner) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.winners = append(w.winners, x)
	return nil
}

func (w *fakeWinners) Pending(common.Address) *big.Int {
	if w.pending == nil {
		return new(big.Int)
	}
	return w.pending
}

type env struct {
	r       *Recipient
	chain   *fakeChain
	winners *fakeWinners
	key     *ecdsa.PrivateKey
	sender  common.Address
	price   *big.Rat
}

var (
	me     = common.HexToAddress("0x00000000000000000000000000000000000000aa")
	broker = common.HexToAddress("0x00000000000000000000000000000000000000bb")
)

func newEnv(t *testing.T, edit func(*Config)) *env {
	t.Helper()
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	sender := crypto.PubkeyToAddress(key.PublicKey)
	chain := &fakeChain{block: 100, gas: big.NewInt(1), states: map[common.Address]SenderState{
		sender: {Deposit: big.NewInt(1e18), Reserve: big.NewInt(1e18)},
	}}
	db := balancetest.DB(t)
	balances, err := balance.Open(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	nonces, err := OpenNonces(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	cfg := DefaultConfig()
	cfg.TicketEV, _ = wei.ParseAmount("1000")
	cfg.MaxFaceValue, _ = wei.ParseAmount("10000") // win one in ten
	if edit != nil {
		edit(&cfg)
	}
	w := &fakeWinners{}
	r, err := New(cfg, Identity{Address: me, ChainID: 1337, Broker: broker, Secret: []byte("0123456789abcdef0123")},
		chain, balances, w, nonces, slog.New(slog.DiscardHandler), NewMetrics(prometheus.NewRegistry()))
	if err != nil {
		t.Fatal(err)
	}
	return &env{r: r, chain: chain, winners: w, key: key, sender: sender, price: big.NewRat(1, 10)}
}

// pay makes a payment of n tickets with nonces from first under p.
func (e *env) pay(t *testing.T, p *ticket.Params, first uint32, n int) *ticket.Payment {
	t.Helper()
	pay := &ticket.Payment{Sender: e.sender, Params: *p, ExpectedPrice: e.price}
	for i := range n {
		nonce := first + uint32(i)
		sig, err := ticket.Sign(p.Ticket(e.sender, nonce), e.key)
		if err != nil {
			t.Fatal(err)
		}
		pay.Tickets = append(pay.Tickets, ticket.SenderTicket{Nonce: nonce, Sig: sig})
	}
	return pay
}

func (e *env) params(t *testing.T) *ticket.Params {
	t.Helper()
	p, err := e.r.Params(t.Context(), e.sender)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestParams(t *testing.T) {
	e := newEnv(t, nil)
	p := e.params(t)
	if p.Recipient != me || p.ChainID != 1337 || p.Broker != broker || p.ExpirationBlock != 120 || len(p.Seed) != 32 {
		t.Fatalf("params %+v", p)
	}
	if p.FaceValue.Int64() != 10000 || p.EV().Cmp(big.NewRat(1000, 1)) > 0 || new(big.Rat).Sub(big.NewRat(1000, 1), p.EV()).Cmp(big.NewRat(1, 1)) > 0 {
		t.Fatalf("face %s EV %s", p.FaceValue, p.EV().FloatString(3))
	}
	// The reserve left after pending winners caps the face value.
	e.chain.states[e.sender] = SenderState{Deposit: big.NewInt(0), Reserve: big.NewInt(7000)}
	e.winners.pending = big.NewInt(2000)
	if p := e.params(t); p.FaceValue.Int64() != 5000 {
		t.Fatalf("face %s, want the 5000 the reserve still guarantees", p.FaceValue)
	}
	e.winners.pending = big.NewInt(6500)
	if _, err := e.r.Params(t.Context(), e.sender); !errors.Is(err, ErrInsufficientReserve) {
		t.Fatalf("got %v", err)
	}
}

func TestReceiveCreditsAndQueuesWinners(t *testing.T) {
	e := newEnv(t, nil)
	p := e.params(t)
	credited, err := e.r.Receive(t.Context(), "s1", e.pay(t, p, 0, 200), e.price)
	if err != nil {
		t.Fatal(err)
	}
	want := new(big.Rat).Mul(p.EV(), big.NewRat(200, 1))
	if credited.Cmp(want) != 0 {
		t.Fatalf("credited %s, want %s", credited.FloatString(3), want.FloatString(3))
	}
	b, _ := e.r.balances.Get(Key(e.sender, "s1"))
	if b.Credit.Cmp(want) != 0 || b.Price.Cmp(e.price) != 0 {
		t.Fatalf("balance %+v", b)
	}
	// About one in ten wins; each winner carries what redeeming needs.
	if n := len(e.winners.winners); n < 5 || n > 40 {
		t.Fatalf("%d winners of 200 at 1/10", n)
	}
	for _, w := range e.winners.winners {
		if !ticket.Wins(w.Sig, w.Rand, w.Ticket.WinProb) || ticket.RandHash(w.Rand) != w.Ticket.RecipientRandHash ||
			w.Ticket.Verify(w.Sig) != nil {
			t.Fatal("queued a ticket that would not redeem")
		}
	}
}

func TestReceiveRejects(t *testing.T) {
	tests := []struct {
		name string
		make func(t *testing.T, e *env) *ticket.Payment
		want error
	}{
		{"bad signature", func(t *testing.T, e *env) *ticket.Payment {
			pay := e.pay(t, e.params(t), 0, 1)
			pay.Tickets[0].Sig[3] ^= 0xff
			return pay
		}, ticket.ErrBadSignature},
		{"high-s signature", func(t *testing.T, e *env) *ticket.Payment {
			pay := e.pay(t, e.params(t), 0, 1)
			sig := pay.Tickets[0].Sig
			s := new(big.Int).SetBytes(sig[32:64])
			copy(sig[32:64], common.LeftPadBytes(new(big.Int).Sub(crypto.S256().Params().N, s).Bytes(), 32))
			sig[64] = 27 + ((sig[64] - 27) ^ 1)
			return pay
		}, ticket.ErrHighS},
		{"wrong recipient", func(t *testing.T, e *env) *ticket.Payment {
			p := e.params(t)
			p.Recipient = common.Address{9}
			return e.pay(t, p, 0, 1)
		}, ErrWrongRecipient},
		{"wrong recipientRand", func(t *testing.T, e *env) *ticket.Payment {
			p := e.params(t)
			p.RecipientRandHash = ticket.RandHash(big.NewInt(1))
			return e.pay(t, p, 0, 1)
		}, ErrWrongRand},
		{"altered face value", func(t *testing.T, e *env) *ticket.Payment {
			p := e.params(t)
			p.FaceValue = new(big.Int).Mul(p.FaceValue, big.NewInt(2))
			return e.pay(t, p, 0, 1)
		}, ErrWrongRand},
		{"another chain", func(t *testing.T, e *env) *ticket.Payment {
			p := e.params(t)
			p.ChainID = 1
			return e.pay(t, p, 0, 1)
		}, ErrWrongChain},
		{"another broker", func(t *testing.T, e *env) *ticket.Payment {
			p := e.params(t)
			p.Broker = common.Address{7}
			return e.pay(t, p, 0, 1)
		}, ErrWrongChain},
		{"replayed nonce", func(t *testing.T, e *env) *ticket.Payment {
			p := e.params(t)
			if _, err := e.r.Receive(t.Context(), "s", e.pay(t, p, 5, 1), e.price); err != nil {
				t.Fatal(err)
			}
			return e.pay(t, p, 5, 1)
		}, ErrNonceReplay},
		{"expired params", func(t *testing.T, e *env) *ticket.Payment {
			p := e.params(t)
			e.chain.block = p.ExpirationBlock + 1
			return e.pay(t, p, 0, 1)
		}, ErrParamsExpired},
		{"sender unlocking", func(t *testing.T, e *env) *ticket.Payment {
			p := e.params(t)
			st := e.chain.states[e.sender]
			st.WithdrawBlock = 500
			e.chain.states[e.sender] = st
			return e.pay(t, p, 0, 1)
		}, ErrSenderUnlocking},
		{"sender without funds", func(t *testing.T, e *env) *ticket.Payment {
			p := e.params(t)
			e.chain.states[e.sender] = SenderState{Deposit: new(big.Int), Reserve: new(big.Int)}
			return e.pay(t, p, 0, 1)
		}, ErrNoSenderFunds},
		{"price below the ask", func(t *testing.T, e *env) *ticket.Payment {
			pay := e.pay(t, e.params(t), 0, 1)
			pay.ExpectedPrice = big.NewRat(1, 100)
			return pay
		}, ErrPriceTooLow},
		{"price other than the session's", func(t *testing.T, e *env) *ticket.Payment {
			p := e.params(t)
			if _, err := e.r.Receive(t.Context(), "s", e.pay(t, p, 0, 1), e.price); err != nil {
				t.Fatal(err)
			}
			pay := e.pay(t, p, 1, 1)
			pay.ExpectedPrice = big.NewRat(2, 10)
			return pay
		}, balance.ErrPriceChanged},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, nil)
			pay := tt.make(t, e)
			before, _ := e.r.balances.Get(Key(e.sender, "s"))
			credited, err := e.r.Receive(t.Context(), "s", pay, e.price)
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
			after, _ := e.r.balances.Get(Key(e.sender, "s"))
			if credited != nil && credited.Sign() != 0 || before.Credit != nil && after.Credit.Cmp(before.Credit) != 0 {
				t.Fatalf("a rejected ticket was credited: %v", credited)
			}
		})
	}
}

func TestCreditingStopsAtTheFirstBadTicket(t *testing.T) {
	e := newEnv(t, nil)
	p := e.params(t)
	pay := e.pay(t, p, 0, 4)
	pay.Tickets[2].Sig = pay.Tickets[1].Sig // a replay in the middle
	pay.Tickets[2].Nonce = 1
	credited, err := e.r.Receive(t.Context(), "s", pay, e.price)
	if !errors.Is(err, ErrNonceReplay) || credited.Cmp(new(big.Rat).Mul(p.EV(), big.NewRat(2, 1))) != 0 {
		t.Fatalf("credited %v err %v; want two tickets then a replay", credited, err)
	}
}

func TestCoverHoldsAndCharge(t *testing.T) {
	e := newEnv(t, nil)
	k := Key(e.sender, "s")
	ev := e.r.TicketEV()
	// Nothing paid: work worth up to one EV may start, no more.
	if err := e.r.Cover(k, new(big.Rat).Add(ev, big.NewRat(1, 1))); !errors.Is(err, ErrInsufficientBalance) {
		t.Fatalf("got %v", err)
	}
	p := e.params(t)
	if _, err := e.r.Receive(t.Context(), "s", e.pay(t, p, 0, 3), e.price); err != nil {
		t.Fatal(err)
	}
	paid := new(big.Rat).Mul(p.EV(), big.NewRat(3, 1))
	// Two segments in flight at once: the first holds what three tickets
	// paid; the second, unpaid, may only have one EV of slack.
	if err := e.r.Cover(k, paid); err != nil {
		t.Fatal(err)
	}
	if err := e.r.Cover(k, new(big.Rat).Add(ev, big.NewRat(1, 1))); !errors.Is(err, ErrInsufficientBalance) {
		t.Fatalf("a second segment used credit the first holds: %v", err)
	}
	// The first settles for less than it held; the rest is free again.
	cost := new(big.Rat).Sub(paid, ev)
	b, err := e.r.Charge(t.Context(), k, paid, cost)
	if err != nil || b.Available().Cmp(ev) != 0 || b.Held.Sign() != 0 {
		t.Fatalf("after settling: available %v held %v err %v", b.Available(), b.Held, err)
	}
	if err := e.r.Cover(k, ev); err != nil {
		t.Fatal(err)
	}
	e.r.Release(k, ev)
	if b, _ := e.r.balances.Get(k); b.Held.Sign() != 0 {
		t.Fatalf("held %v after release", b.Held)
	}
}
