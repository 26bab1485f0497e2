package ticket

import (
	"math/big"

	"github.com/ethereum/go-ethereum/common"
)

// Params are a recipient's terms: every field of the tickets a sender may
// write it except the sender and the nonce. Seed lets the recipient derive
// the random number behind RecipientRandHash again without storing it.
type Params struct {
	Recipient         common.Address
	FaceValue         *big.Int
	WinProb           *big.Int
	RecipientRandHash common.Hash
	Seed              []byte
	ExpirationBlock   uint64
	ChainID           uint64
	Broker            common.Address
}

// Ticket makes the ticket with these params from sender with nonce.
func (p *Params) Ticket(sender common.Address, nonce uint32) *Ticket {
	return &Ticket{
		Recipient: p.Recipient, Sender: sender, FaceValue: p.FaceValue, WinProb: p.WinProb, SenderNonce: nonce,
		RecipientRandHash: p.RecipientRandHash, ExpirationBlock: p.ExpirationBlock, ChainID: p.ChainID, Broker: p.Broker,
	}
}

// EV is the expected value of one ticket, in wei.
func (p *Params) EV() *big.Rat { return EV(p.FaceValue, p.WinProb) }
