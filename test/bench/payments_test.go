package bench

import (
	"context"
	"log/slog"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/prometheus/client_golang/prometheus"
	"google.golang.org/protobuf/proto"

	"github.com/castmesh/castmesh/payments/balance/balancetest"
	"github.com/castmesh/castmesh/payments/recipient"
	"github.com/castmesh/castmesh/payments/sender"
	"github.com/castmesh/castmesh/payments/ticket"
	"github.com/castmesh/castmesh/pkg/media"
	pb "github.com/castmesh/castmesh/proto/castmesh/v1"
	"github.com/castmesh/castmesh/proto/convert"
)

// BenchmarkTicketVerify measures what an orchestrator does per ticket:
// the hash, the signature checks (length, v, low s, recovery), the draw.
// One goroutine: the result is tickets per second per core.
func BenchmarkTicketVerify(b *testing.B) {
	key, _ := crypto.GenerateKey()
	t := &ticket.Ticket{
		Recipient: common.Address{1}, Sender: crypto.PubkeyToAddress(key.PublicKey),
		FaceValue: big.NewInt(1e15), WinProb: big.NewInt(1e10), RecipientRandHash: ticket.RandHash(big.NewInt(7)),
		ExpirationBlock: 100, ChainID: 1337, Broker: common.Address{2},
	}
	const n = 256
	sigs := make([][]byte, n)
	for i := range sigs {
		t.SenderNonce = uint32(i)
		sigs[i], _ = ticket.Sign(t, key)
	}
	rand := big.NewInt(7)
	i := 0
	start := time.Now()
	for b.Loop() {
		t.SenderNonce = uint32(i % n)
		if err := t.Verify(sigs[i%n]); err != nil {
			b.Fatal(err)
		}
		ticket.Wins(sigs[i%n], rand, t.WinProb)
		i++
	}
	b.ReportMetric(float64(i)/time.Since(start).Seconds(), "tickets/s/core")
}

// fundedChain is a chain where the sender has plenty of funds.
type fundedChain struct{}

func (fundedChain) BlockNumber(context.Context) (uint64, error) { return 100, nil }
func (fundedChain) GasPrice(context.Context) (*big.Int, error)  { return big.NewInt(1e9), nil }
func (fundedChain) SenderState(context.Context, common.Address) (recipient.SenderState, error) {
	return recipient.SenderState{Deposit: big.NewInt(1e18), Reserve: big.NewInt(1e18)}, nil
}

func (fundedChain) Funds(context.Context, common.Address, common.Address) (sender.Funds, error) {
	return sender.Funds{Deposit: big.NewInt(1e18), Reserve: big.NewInt(1e18)}, nil
}

type noWinners struct{}

func (noWinners) Add(context.Context, ticket.Winner) error { return nil }
func (noWinners) Pending(common.Address) *big.Int          { return new(big.Int) }

// BenchmarkPaymentPerSegment measures everything payments add to one 2 s
// 1080p segment (720p/480p/360p ladder, ~94 Mpx) at the default price and
// ticket EV (about nine tickets): the gateway writes and signs the payment,
// it crosses the wire as protobuf, the orchestrator decodes, checks and
// credits it and holds the fee, both sides settle in SQLite. It reports µs
// per segment and the share of the segment's 2 s of real time.
func BenchmarkPaymentPerSegment(b *testing.B) {
	ctx := b.Context()
	orchKey, _ := crypto.GenerateKey()
	gwKey, _ := crypto.GenerateKey()
	orch := crypto.PubkeyToAddress(orchKey.PublicKey)
	rcfg := recipient.DefaultConfig()
	nonces, err := recipient.OpenNonces(ctx, balancetest.DB(b))
	if err != nil {
		b.Fatal(err)
	}
	r, err := recipient.New(rcfg, recipient.Identity{
		Address: orch, ChainID: 1337, Broker: common.Address{2},
		Secret: []byte("0123456789abcdef0123456789abcdef"),
	}, fundedChain{}, balancetest.Open(b), noWinners{}, nonces,
		slog.New(slog.DiscardHandler), recipient.NewMetrics(prometheus.NewRegistry()))
	if err != nil {
		b.Fatal(err)
	}
	s, err := sender.New(sender.DefaultConfig(), gwKey, sender.Terms{
		ChainID: 1337, Broker: common.Address{2},
		UnlockPeriod: 600, TicketValidity: 300,
	}, fundedChain{}, balancetest.Open(b))
	if err != nil {
		b.Fatal(err)
	}
	price := big.NewRat(1000, 1)
	pixels := media.EstimatePixels(media.VideoInfo{Width: 1920, Height: 1080, Frames: 60}, media.DefaultLadder())
	fee := new(big.Rat).Mul(price, new(big.Rat).SetInt64(pixels))
	tickets := 0
	start := time.Now()
	segments := 0
	for b.Loop() {
		params, err := r.Params(ctx, crypto.PubkeyToAddress(gwKey.PublicKey))
		if err != nil {
			b.Fatal(err)
		}
		pay, err := s.Pay(ctx, sender.Request{Orchestrator: orch, Session: "s", Params: params, Price: price, Fee: fee})
		if err != nil {
			b.Fatal(err)
		}
		wire, err := proto.Marshal(convert.PaymentToPB(pay))
		if err != nil {
			b.Fatal(err)
		}
		var msg pb.Payment
		if err := proto.Unmarshal(wire, &msg); err != nil {
			b.Fatal(err)
		}
		got, err := convert.PaymentFromPB(&msg)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := r.Receive(ctx, "s", got, price); err != nil {
			b.Fatal(err)
		}
		key := recipient.Key(got.Sender, "s")
		if err := r.Cover(key, fee); err != nil {
			b.Fatal(err)
		}
		if _, err := r.Charge(ctx, key, fee, fee); err != nil {
			b.Fatal(err)
		}
		if _, err := s.Settle(ctx, sender.Key(orch, "s"), fee, fee); err != nil {
			b.Fatal(err)
		}
		tickets += len(pay.Tickets)
		segments++
	}
	per := time.Since(start) / time.Duration(segments)
	b.ReportMetric(float64(per.Microseconds()), "µs/segment")
	b.ReportMetric(float64(tickets)/float64(segments), "tickets/segment")
	b.ReportMetric(100*per.Seconds()/2, "%-of-2s-segment")
}
