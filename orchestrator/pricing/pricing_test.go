package pricing

import (
	"context"
	"errors"
	"log/slog"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/castmesh/castmesh/payments/balance/balancetest"
	"github.com/castmesh/castmesh/payments/recipient"
	"github.com/castmesh/castmesh/payments/ticket"
	"github.com/castmesh/castmesh/payments/wei"
)

type chain struct{}

func (chain) BlockNumber(context.Context) (uint64, error) { return 10, nil }
func (chain) GasPrice(context.Context) (*big.Int, error)  { return big.NewInt(1), nil }
func (chain) SenderState(context.Context, common.Address) (recipient.SenderState, error) {
	return recipient.SenderState{Deposit: big.NewInt(1e18), Reserve: big.NewInt(1e18)}, nil
}

type winners struct{}

func (winners) Add(context.Context, ticket.Winner) error { return nil }
func (winners) Pending(common.Address) *big.Int          { return new(big.Int) }

func newBilling(t *testing.T, price string) *Billing {
	t.Helper()
	balances := balancetest.Open(t)
	nonces, err := recipient.OpenNonces(t.Context(), balancetest.DB(t))
	if err != nil {
		t.Fatal(err)
	}
	cfg := recipient.DefaultConfig()
	cfg.TicketEV, _ = wei.ParseAmount("1000")
	cfg.MaxFaceValue, _ = wei.ParseAmount("1000") // every ticket wins: EV is exact
	r, err := recipient.New(cfg, recipient.Identity{
		Address: common.Address{0xaa}, ChainID: 1, Broker: common.Address{0xbb},
		Secret: []byte("0123456789abcdef0123"),
	}, chain{}, balances, winners{}, nonces, slog.New(slog.DiscardHandler),
		recipient.NewMetrics(prometheus.NewRegistry()))
	if err != nil {
		t.Fatal(err)
	}
	p, err := wei.ParsePrice(price)
	if err != nil {
		t.Fatal(err)
	}
	b, err := NewBilling(Config{Transcode: p}, r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func pay(t *testing.T, b *Billing, first uint32, n int) *ticket.Payment {
	t.Helper()
	key, err := crypto.ToECDSA(common.LeftPadBytes([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	sender := crypto.PubkeyToAddress(key.PublicKey)
	params, err := b.Params(t.Context(), sender)
	if err != nil {
		t.Fatal(err)
	}
	p := &ticket.Payment{Sender: sender, Params: *params, ExpectedPrice: transcodePrice(b)}
	for i := range n {
		sig, err := ticket.Sign(params.Ticket(sender, first+uint32(i)), key)
		if err != nil {
			t.Fatal(err)
		}
		p.Tickets = append(p.Tickets, ticket.SenderTicket{Nonce: first + uint32(i), Sig: sig})
	}
	return p
}

func TestBillingHoldsThenChargesWhatWasMade(t *testing.T) {
	b := newBilling(t, "1/2") // half a wei per pixel
	// 3 tickets pay 3000 wei: 6000 pixels, plus one EV (2000 pixels) of slack.
	p := pay(t, b, 0, 3)
	if _, err := b.Accept(t.Context(), "s", p, transcodePrice(b), 8001); !errors.Is(err, recipient.ErrInsufficientBalance) {
		t.Fatalf("more than one EV unpaid: %v", err)
	}
	held, err := b.Accept(t.Context(), "s", pay(t, b, 3, 0), transcodePrice(b), 8000)
	if err != nil || held.Cmp(big.NewRat(4000, 1)) != 0 {
		t.Fatalf("held %v err %v", held, err)
	}
	// The work made fewer pixels than estimated: only those are billed.
	after, err := b.Charge(t.Context(), p.Sender, "s", held, 5000)
	if err != nil || after.Cmp(big.NewRat(500, 1)) != 0 {
		t.Fatalf("balance %v err %v, want 3000 - 5000/2", after, err)
	}
	// A released hold frees the credit for the next segment.
	held, err = b.Accept(t.Context(), "s", pay(t, b, 3, 0), transcodePrice(b), 3000)
	if err != nil {
		t.Fatal(err)
	}
	b.Release(p.Sender, "s", held)
	if _, err := b.Accept(t.Context(), "s", pay(t, b, 3, 0), transcodePrice(b), 3000); err != nil {
		t.Fatalf("credit still held after release: %v", err)
	}
}

func TestBillingRefusesALowerPrice(t *testing.T) {
	b := newBilling(t, "1000")
	p := pay(t, b, 0, 1)
	p.ExpectedPrice = big.NewRat(999, 1)
	if _, err := b.Accept(t.Context(), "s", p, transcodePrice(b), 1); !errors.Is(err, recipient.ErrPriceTooLow) {
		t.Fatalf("got %v", err)
	}
	if _, err := b.Charge(t.Context(), p.Sender, "never-paid", new(big.Rat), 1); err == nil {
		t.Fatal("charged a session with no price")
	}
	if _, err := NewBilling(Config{Transcode: wei.Price{}}, nil); err != nil {
		t.Fatalf("zero price is free work, not an error: %v", err)
	}
}

func transcodePrice(b *Billing) *big.Rat {
	p, _ := b.Price(Transcode, "")
	return p
}

func TestAIPrices(t *testing.T) {
	c := DefaultConfig()
	c.AI = append(c.AI, AIPrice{Pipeline: "upscale", ModelID: "special", PricePerUnit: wei.NewPrice(big.NewRat(7, 2))})
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if p, ok := c.Price("upscale", "special"); !ok || p.Cmp(big.NewRat(7, 2)) != 0 {
		t.Fatalf("model price %v %v", p, ok)
	}
	if p, ok := c.Price("upscale", "other"); !ok || p.Cmp(big.NewRat(50000, 1)) != 0 {
		t.Fatalf("pipeline price %v %v", p, ok)
	}
	if _, ok := c.Price("unknown-pipeline", ""); ok {
		t.Fatal("priced a pipeline nobody priced")
	}
	c.AI = append(c.AI, AIPrice{Pipeline: "upscale", ModelID: "special"})
	if err := c.Validate(); err == nil {
		t.Fatal("a model priced twice")
	}
}
