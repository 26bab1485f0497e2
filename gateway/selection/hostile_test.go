package selection

import (
	"context"
	"errors"
	"log/slog"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/castmesh/castmesh/gateway/orchclient"
	"github.com/castmesh/castmesh/payments/balance/balancetest"
	"github.com/castmesh/castmesh/payments/sender"
	"github.com/castmesh/castmesh/payments/ticket"
	"github.com/castmesh/castmesh/pkg/media"
)

// fundedChain is a chain on which the gateway has funds, at block 100.
type fundedChain struct{}

func (fundedChain) BlockNumber(context.Context) (uint64, error) { return 100, nil }
func (fundedChain) Funds(context.Context, common.Address, common.Address) (sender.Funds, error) {
	return sender.Funds{Deposit: big.NewInt(1e18), Reserve: big.NewInt(1e18)}, nil
}

var testBroker = common.Address{0xbb}

// quotingOrch is a paid orchestrator whose ticket params (and price) are
// whatever quote says.
type quotingOrch struct {
	*paidOrch
	// quote edits the terms; withParams is true for a stream's terms
	// (asked with the gateway's address), false for the directory's.
	quote func(info *orchclient.Info, withParams bool)
}

func (q *quotingOrch) GetInfo(ctx context.Context, g, session string, s common.Address) (orchclient.Info, error) {
	info, err := q.paidOrch.GetInfo(ctx, g, session, s)
	if err == nil {
		q.quote(&info, s != (common.Address{}))
	}
	return info, err
}

// honestQuote is params worth 10 gwei a ticket.
func honestQuote(info *orchclient.Info, _ bool) {
	face := big.NewInt(1e12)
	info.Params = &ticket.Params{
		Recipient: info.EthAddress, FaceValue: face, WinProb: ticket.WinProbFor(big.NewRat(1e10, 1), face),
		RecipientRandHash: common.Hash{1}, Seed: make([]byte, 32), ExpirationBlock: 120, ChainID: 1337, Broker: testBroker,
	}
}

// Issue #12 finding 2: a hostile orchestrator's absurd terms reached the
// gateway's ticket count unchecked. The real sender now refuses them; the
// selector suspends that orchestrator for the stream, sends it no work,
// and serves the segment, and the next, through an honest one.
func TestHostileTermsSuspendTheOrchestrator(t *testing.T) {
	data := segment(t)
	huge := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1))
	tests := []struct {
		name  string
		quote func(info *orchclient.Info, withParams bool)
		want  error
	}{
		{"EV of one wei", func(info *orchclient.Info, _ bool) {
			honestQuote(info, true)
			info.Params.WinProb = ticket.WinProbFor(big.NewRat(1, 1), info.Params.FaceValue)
		}, sender.ErrEVTooLow},
		{"huge face value", func(info *orchclient.Info, _ bool) {
			honestQuote(info, true)
			info.Params.FaceValue, info.Params.WinProb = huge, huge
		}, sender.ErrBadParams},
		{"price near overflow", func(info *orchclient.Info, withParams bool) {
			honestQuote(info, true)
			if withParams { // cheap in the directory, then the switch
				info.Price = new(big.Rat).SetInt(huge)
			}
		}, sender.ErrTooManyTickets},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key, err := crypto.GenerateKey()
			if err != nil {
				t.Fatal(err)
			}
			payer, err := sender.New(sender.DefaultConfig(), key,
				sender.Terms{ChainID: 1337, Broker: testBroker, UnlockPeriod: 1000, TicketValidity: 500}, fundedChain{}, balancetest.Open(t))
			if err != nil {
				t.Fatal(err)
			}
			// The hostile one is idle and cheap: the selector tries it first.
			hostile := &quotingOrch{paidOrch: &paidOrch{fakeOrch: idle("hostile"), price: big.NewRat(1, 1), segment: data}, quote: tt.quote}
			honestOrch := &paidOrch{fakeOrch: idle("honest"), price: big.NewRat(2, 1), segment: data}
			honestOrch.load.Sessions = 5
			honest := &quotingOrch{paidOrch: honestOrch, quote: honestQuote}
			cands := []orchestrator{hostile, honest}
			nodes, dial := fakeNet(cands)
			m := NewMetrics(prometheus.NewRegistry())
			s := newSelector(logicConfig(), "gw", Payments{Payer: payer}, nodes, dial, slog.New(slog.DiscardHandler), m)
			if got := hostile.pay(t, s, payer); !errors.Is(got, tt.want) {
				t.Fatalf("the sender's answer to the hostile terms: %v, want %v", got, tt.want)
			}
			for seq := range 3 {
				if _, err := s.Transcode(t.Context(), "s", media.Segment{Seq: int64(seq), Data: data}, media.DefaultLadder()); err != nil {
					t.Fatalf("segment %d: %v", seq, err)
				}
			}
			if hostile.calls.Load() != 0 || honest.calls.Load() != 3 {
				t.Fatalf("hostile got %d segments, honest %d", hostile.calls.Load(), honest.calls.Load())
			}
			if !s.stream("s").suspended("hostile", s.now()) {
				t.Fatal("the hostile orchestrator is not suspended")
			}
		})
	}
}

// pay asks the sender directly for a payment on q's terms, as the
// selector would, to show which sentinel the terms meet.
func (q *quotingOrch) pay(t *testing.T, s *Selector, payer *sender.Sender) error {
	t.Helper()
	info, err := q.GetInfo(t.Context(), "gw", "probe", payer.Address())
	if err != nil {
		t.Fatal(err)
	}
	j, err := s.newJob("probe", media.Segment{Data: q.segment}, media.DefaultLadder())
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.payFor(t.Context(), info, j)
	return err
}
