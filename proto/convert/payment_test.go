package convert

import (
	"bytes"
	"errors"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"google.golang.org/protobuf/proto"

	"github.com/castmesh/castmesh/payments/ticket"
	pb "github.com/castmesh/castmesh/proto/castmesh/v1"
)

func samplePayment() *ticket.Payment {
	return &ticket.Payment{
		Sender: common.Address{1},
		Params: ticket.Params{
			Recipient: common.Address{2}, FaceValue: big.NewInt(1000), WinProb: big.NewInt(77),
			RecipientRandHash: common.Hash{3}, Seed: bytes.Repeat([]byte{4}, 32), ExpirationBlock: 9, ChainID: 1337,
			Broker: common.Address{5},
		},
		ExpectedPrice: big.NewRat(1, 3),
		Tickets:       []ticket.SenderTicket{{Nonce: 1, Sig: bytes.Repeat([]byte{6}, 65)}, {Nonce: 2, Sig: bytes.Repeat([]byte{7}, 65)}},
	}
}

func TestPaymentRoundTrip(t *testing.T) {
	in := samplePayment()
	wire, err := proto.Marshal(PaymentToPB(in))
	if err != nil {
		t.Fatal(err)
	}
	var msg pb.Payment
	if err := proto.Unmarshal(wire, &msg); err != nil {
		t.Fatal(err)
	}
	out, err := PaymentFromPB(&msg)
	if err != nil {
		t.Fatal(err)
	}
	if out.Sender != in.Sender || out.Params.Ticket(out.Sender, 1).Hash() != in.Params.Ticket(in.Sender, 1).Hash() ||
		out.ExpectedPrice.Cmp(in.ExpectedPrice) != 0 || len(out.Tickets) != 2 || !bytes.Equal(out.Tickets[1].Sig, in.Tickets[1].Sig) ||
		!bytes.Equal(out.Params.Seed, in.Params.Seed) {
		t.Fatalf("round trip changed the payment: %+v", out)
	}
}

func TestPaymentFromPBRejects(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*pb.Payment)
	}{
		{"no sender", func(p *pb.Payment) { p.Sender = nil }},
		{"no params", func(p *pb.Payment) { p.TicketParams = nil }},
		{"short recipient", func(p *pb.Payment) { p.TicketParams.Recipient = []byte{1} }},
		{"33-byte face value", func(p *pb.Payment) { p.TicketParams.FaceValue = make([]byte, 33) }},
		{"short seed", func(p *pb.Payment) { p.TicketParams.Seed = []byte{1} }},
		{"zero price denominator", func(p *pb.Payment) { p.ExpectedPrice.Denominator = nil }},
		{"64-byte signature", func(p *pb.Payment) { p.Tickets[0].Sig = make([]byte, 64) }},
		{"too many tickets", func(p *pb.Payment) {
			for range MaxTickets {
				p.Tickets = append(p.Tickets, p.Tickets[0])
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg := PaymentToPB(samplePayment())
			tt.mutate(msg)
			if _, err := PaymentFromPB(msg); !errors.Is(err, ErrBadPayment) {
				t.Fatalf("got %v", err)
			}
		})
	}
}

// FuzzPaymentFromPB decodes arbitrary bytes as a payment message: it must
// be refused or survive a round trip unchanged, never panic.
func FuzzPaymentFromPB(f *testing.F) {
	good, _ := proto.Marshal(PaymentToPB(samplePayment()))
	f.Add(good)
	f.Add([]byte{0x0a, 0x14})
	f.Fuzz(func(t *testing.T, b []byte) {
		var msg pb.Payment
		if proto.Unmarshal(b, &msg) != nil {
			return
		}
		p, err := PaymentFromPB(&msg)
		if err != nil {
			return
		}
		again, err := PaymentFromPB(PaymentToPB(p))
		if err != nil || again.Params.Ticket(again.Sender, 0).Hash() != p.Params.Ticket(p.Sender, 0).Hash() ||
			again.ExpectedPrice.Cmp(p.ExpectedPrice) != 0 || len(again.Tickets) != len(p.Tickets) {
			t.Fatalf("round trip changed an accepted payment: %v", err)
		}
	})
}
