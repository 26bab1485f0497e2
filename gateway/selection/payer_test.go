package selection

import (
	"context"
	"errors"
	"log/slog"
	"math/big"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/castmesh/castmesh/gateway/orchclient"
	"github.com/castmesh/castmesh/payments/balance"
	"github.com/castmesh/castmesh/payments/sender"
	"github.com/castmesh/castmesh/payments/ticket"
	"github.com/castmesh/castmesh/pkg/media"
	"github.com/castmesh/castmesh/test/fixture"
)

// fakePayer records payments and charges.
type fakePayer struct {
	mu       sync.Mutex
	payErr   error
	requests []sender.Request
	charged  map[balance.Key]*big.Rat
	refunded int
}

func (f *fakePayer) Address() common.Address { return common.Address{0x99} }

func (f *fakePayer) Pay(_ context.Context, req sender.Request) (*ticket.Payment, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.payErr != nil {
		return nil, f.payErr
	}
	f.requests = append(f.requests, req)
	return &ticket.Payment{Sender: f.Address(), Params: *req.Params, ExpectedPrice: req.Price}, nil
}

func (f *fakePayer) Settle(_ context.Context, k balance.Key, _, fee *big.Rat) (balance.Balance, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.charged == nil {
		f.charged = map[balance.Key]*big.Rat{}
	}
	if f.charged[k] == nil {
		f.charged[k] = new(big.Rat)
	}
	f.charged[k].Add(f.charged[k], fee)
	return balance.Balance{}, nil
}

func (f *fakePayer) Release(_ context.Context, _ balance.Key, _ *big.Rat, refused *ticket.Payment) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if refused != nil {
		f.refunded++
	}
	return nil
}

// paidOrch is an orchestrator that asks price per pixel and answers with
// real 320x180 renditions.
type paidOrch struct {
	*fakeOrch
	price    *big.Rat
	noParams bool
	segment  []byte
}

func (p *paidOrch) GetInfo(ctx context.Context, g, session string, s common.Address) (orchclient.Info, error) {
	info, err := p.fakeOrch.GetInfo(ctx, g, session, s)
	if err != nil || p.noParams {
		return info, err
	}
	info.EthAddress, info.Price = common.BytesToAddress([]byte(p.addr)), p.price
	info.Params = &ticket.Params{Recipient: info.EthAddress, FaceValue: big.NewInt(10), WinProb: big.NewInt(1)}
	return info, nil
}

func (p *paidOrch) Transcode(ctx context.Context, tok orchclient.Token, id string, seg media.Segment, ps []media.Profile, pay *ticket.Payment) (orchclient.Result, error) {
	res, err := p.fakeOrch.Transcode(ctx, tok, id, seg, ps, pay)
	if err != nil {
		return res, err
	}
	if pay == nil {
		return orchclient.Result{}, errors.New("unpaid")
	}
	for i := range res.Renditions {
		res.Renditions[i].Data = p.segment
	}
	res.BilledPixels = 1 << 40 // more than delivered: the gateway must not care
	return res, nil
}

func segment(t *testing.T) []byte {
	t.Helper()
	segs := fixture.Segments(t, fixture.ClipSpec{Width: 320, Height: 180, FPS: 30, Duration: 2 * time.Second, GOP: 2 * time.Second}, 2*time.Second)
	b, err := os.ReadFile(segs[0])
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func paidSelector(t *testing.T, payer *fakePayer, maxPrice *big.Rat, orchs ...*paidOrch) *Selector {
	t.Helper()
	cands := make([]orchestrator, len(orchs))
	for i, o := range orchs {
		cands[i] = o
	}
	nodes, dial := fakeNet(cands)
	return newSelector(logicConfig(), "gw", Payments{Payer: payer, MaxPrice: maxPrice}, nodes, dial,
		slog.New(slog.DiscardHandler), NewMetrics(prometheus.NewRegistry()))
}

func TestPaysAndChargesDeliveredPixels(t *testing.T) {
	data := segment(t)
	payer := &fakePayer{}
	cheap := &paidOrch{fakeOrch: idle("cheap"), price: big.NewRat(2, 1), segment: data}
	pricey := &paidOrch{fakeOrch: idle("pricey"), price: big.NewRat(5, 1), segment: data}
	silent := &paidOrch{fakeOrch: idle("aaa"), price: big.NewRat(1, 1), noParams: true, segment: data}
	s := paidSelector(t, payer, big.NewRat(3, 1), silent, pricey, cheap)
	ctx, spend := WithSpend(t.Context())
	rs, err := s.Transcode(ctx, "s", media.Segment{Data: data}, media.DefaultLadder())
	if err != nil {
		t.Fatal(err)
	}
	if cheap.calls.Load() != 1 || pricey.calls.Load() != 0 || silent.calls.Load() != 0 {
		t.Fatal("picked an orchestrator that cannot be paid or costs too much")
	}
	estimate := media.EstimatePixels(media.VideoInfo{Width: 320, Height: 180, Frames: 60}, media.DefaultLadder())
	req := payer.requests[0]
	if req.Fee.Cmp(new(big.Rat).SetInt64(2*estimate)) != 0 || req.MaxPrice.Cmp(big.NewRat(3, 1)) != 0 {
		t.Fatalf("paid fee %s for %d estimated pixels", req.Fee.RatString(), estimate)
	}
	delivered := int64(len(rs)) * 320 * 180 * 60
	got := payer.charged[sender.Key(req.Orchestrator, req.Session)]
	if got == nil || got.Cmp(new(big.Rat).SetInt64(2*delivered)) != 0 {
		t.Fatalf("charged %v, want price × %d delivered pixels", got, delivered)
	}
	if spend.Wei().Cmp(got) != 0 {
		t.Fatalf("the context's spend is %s, the charge %s", spend.Wei().RatString(), got.RatString())
	}
}

func TestPaymentFailures(t *testing.T) {
	data := segment(t)
	t.Run("no deposit stops at once", func(t *testing.T) {
		payer := &fakePayer{payErr: sender.ErrNoDeposit}
		a, b := &paidOrch{fakeOrch: idle("a"), price: big.NewRat(1, 1), segment: data}, &paidOrch{fakeOrch: idle("b"), price: big.NewRat(1, 1), segment: data}
		s := paidSelector(t, payer, nil, a, b)
		if _, err := s.Transcode(t.Context(), "s", media.Segment{Data: data}, media.DefaultLadder()); !errors.Is(err, sender.ErrNoDeposit) {
			t.Fatalf("got %v", err)
		}
		if a.calls.Load()+b.calls.Load() != 0 {
			t.Fatal("work was asked for without a deposit")
		}
	})
	t.Run("a refused payment is refunded and another orchestrator tried", func(t *testing.T) {
		payer := &fakePayer{}
		a := &paidOrch{fakeOrch: idle("a"), price: big.NewRat(1, 1), segment: data}
		a.transcode = func(int) error { return orchclient.ErrPayment }
		b := &paidOrch{fakeOrch: idle("b"), price: big.NewRat(1, 1), segment: data}
		s := paidSelector(t, payer, nil, a, b)
		if _, err := s.Transcode(t.Context(), "s", media.Segment{Data: data}, media.DefaultLadder()); err != nil {
			t.Fatal(err)
		}
		if payer.refunded != 1 || b.calls.Load() != 1 {
			t.Fatalf("refunded %d, b calls %d", payer.refunded, b.calls.Load())
		}
	})
}
