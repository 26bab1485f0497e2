package convert

import (
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"

	"github.com/castmesh/castmesh/payments/ticket"
	pb "github.com/castmesh/castmesh/proto/castmesh/v1"
)

// MaxTickets bounds the tickets one payment may carry: far above what a
// sender needs (it sizes a payment to one request) and small enough that a
// hostile payment costs the orchestrator little to check.
const MaxTickets = 1000

// ErrBadPayment means a payment message is malformed.
var ErrBadPayment = errors.New("malformed payment")

// RatToPB converts a non-negative rational.
func RatToPB(r *big.Rat) *pb.Rational {
	if r == nil {
		return nil
	}
	return &pb.Rational{Numerator: r.Num().Bytes(), Denominator: r.Denom().Bytes()}
}

// RatFromPB converts a rational; a zero or absent denominator is an error.
func RatFromPB(r *pb.Rational) (*big.Rat, error) {
	num, err := ticket.Uint256(r.GetNumerator())
	if err != nil {
		return nil, err
	}
	den, err := ticket.Uint256(r.GetDenominator())
	if err != nil {
		return nil, err
	}
	if den.Sign() == 0 {
		return nil, fmt.Errorf("%w: zero denominator", ErrBadPayment)
	}
	return new(big.Rat).SetFrac(num, den), nil
}

// ParamsToPB converts ticket params.
func ParamsToPB(p *ticket.Params) *pb.TicketParams {
	if p == nil {
		return nil
	}
	return &pb.TicketParams{
		Recipient: p.Recipient.Bytes(), FaceValue: p.FaceValue.Bytes(), WinProb: p.WinProb.Bytes(),
		RecipientRandHash: p.RecipientRandHash.Bytes(), Seed: p.Seed, ExpirationBlock: p.ExpirationBlock,
		ChainId: p.ChainID, Broker: p.Broker.Bytes(),
	}
}

// ParamsFromPB converts and checks ticket params.
func ParamsFromPB(p *pb.TicketParams) (*ticket.Params, error) {
	if p == nil {
		return nil, fmt.Errorf("%w: no ticket params", ErrBadPayment)
	}
	out := &ticket.Params{Seed: p.GetSeed(), ExpirationBlock: p.GetExpirationBlock(), ChainID: p.GetChainId()}
	var errs [5]error
	out.Recipient, errs[0] = ticket.Address(p.GetRecipient())
	out.FaceValue, errs[1] = ticket.Uint256(p.GetFaceValue())
	out.WinProb, errs[2] = ticket.Uint256(p.GetWinProb())
	out.RecipientRandHash, errs[3] = ticket.Hash32(p.GetRecipientRandHash())
	out.Broker, errs[4] = ticket.Address(p.GetBroker())
	if err := errors.Join(errs[:]...); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadPayment, err)
	}
	if len(out.Seed) != 32 {
		return nil, fmt.Errorf("%w: %d-byte seed", ErrBadPayment, len(out.Seed))
	}
	return out, nil
}

// PaymentToPB converts a payment.
func PaymentToPB(p *ticket.Payment) *pb.Payment {
	if p == nil {
		return nil
	}
	out := &pb.Payment{Sender: p.Sender.Bytes(), TicketParams: ParamsToPB(&p.Params), ExpectedPrice: RatToPB(p.ExpectedPrice)}
	for _, t := range p.Tickets {
		out.Tickets = append(out.Tickets, &pb.TicketSenderParams{SenderNonce: t.Nonce, Sig: t.Sig})
	}
	return out
}

// PaymentFromPB converts and checks a payment: field sizes, at most
// MaxTickets tickets with 65-byte signatures. Whether the tickets are
// valid is the recipient's to say.
func PaymentFromPB(p *pb.Payment) (*ticket.Payment, error) {
	sender, err := ticket.Address(p.GetSender())
	if err != nil {
		return nil, fmt.Errorf("%w: sender: %w", ErrBadPayment, err)
	}
	params, err := ParamsFromPB(p.GetTicketParams())
	if err != nil {
		return nil, err
	}
	price, err := RatFromPB(p.GetExpectedPrice())
	if err != nil {
		return nil, fmt.Errorf("%w: expected price: %w", ErrBadPayment, err)
	}
	if n := len(p.GetTickets()); n > MaxTickets {
		return nil, fmt.Errorf("%w: %d tickets, at most %d", ErrBadPayment, n, MaxTickets)
	}
	out := &ticket.Payment{Sender: sender, Params: *params, ExpectedPrice: price}
	for _, t := range p.GetTickets() {
		if len(t.GetSig()) != 65 {
			return nil, fmt.Errorf("%w: %d-byte signature", ErrBadPayment, len(t.GetSig()))
		}
		out.Tickets = append(out.Tickets, ticket.SenderTicket{Nonce: t.GetSenderNonce(), Sig: t.GetSig()})
	}
	return out, nil
}

// AddressFromPB decodes an optional address: empty bytes are the zero
// address.
func AddressFromPB(b []byte) (common.Address, error) {
	if len(b) == 0 {
		return common.Address{}, nil
	}
	return ticket.Address(b)
}
