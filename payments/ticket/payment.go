package ticket

import (
	"math/big"

	"github.com/ethereum/go-ethereum/common"
)

// Payment is what a sender attaches to a request: tickets sharing one set
// of params, each with its own nonce and signature, and the price the
// sender believes it pays. A payment with no tickets is valid when the
// sender's credit already covers the work.
type Payment struct {
	Sender common.Address
	Params Params
	// ExpectedPrice is wei per unit (an output pixel for transcoding).
	ExpectedPrice *big.Rat
	Tickets       []SenderTicket
}

// SenderTicket is the part of a ticket only the sender fills in.
type SenderTicket struct {
	Nonce uint32
	Sig   []byte
}

// EV is the expected value of all the payment's tickets, in wei.
func (p *Payment) EV() *big.Rat {
	ev := p.Params.EV()
	return ev.Mul(ev, new(big.Rat).SetInt64(int64(len(p.Tickets))))
}

// Winner is a winning ticket with what redeeming it needs.
type Winner struct {
	Ticket Ticket
	Sig    []byte
	// Rand is the recipient's random number behind RecipientRandHash.
	Rand *big.Int
}
