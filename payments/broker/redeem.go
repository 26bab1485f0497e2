package broker

import (
	"context"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/castmesh/castmesh/payments/broker/bindings"
	"github.com/castmesh/castmesh/payments/ticket"
)

// Redemption is a WinningTicketRedeemed event: what a redeemed ticket paid.
type Redemption struct {
	Sender    common.Address
	Recipient common.Address
	// FaceValue is the ticket's face value, in wei.
	FaceValue *big.Int
	// Paid is what the recipient received, in wei: less than FaceValue
	// when the sender's deposit and its reserve for the recipient could
	// not cover it.
	Paid       *big.Int
	TicketHash common.Hash
}

// Redeem submits winning ticket t with its signature and the recipient's
// random number. Anyone may submit; the contract pays t.Recipient. The
// contract's checks come back as errors matching ErrTicketExpired,
// ErrBadRand, ErrTicketUsed, ErrBadSignature, ErrNotWinning,
// ErrSenderUnlocked or ErrNoFunds.
//
// The checks first run in gas estimation, on the latest block, and that
// costs nothing; the transaction is mined in a later block. A ticket
// redeemed in the last block of its validity (or of its sender's lock) can
// pass the estimate and fail when mined: ErrTxFailed, with the receipt,
// and the gas is spent. Redeem with a few blocks to spare.
func (c *Client) Redeem(ctx context.Context, t *ticket.Ticket, sig []byte, rand *big.Int) (*types.Receipt, error) {
	bt, err := toBinding(t)
	if err != nil {
		return nil, err
	}
	if !isUint256(rand) {
		return nil, fmt.Errorf("%w: recipient rand %v", ErrBadTicket, rand)
	}
	r, err := c.transact(ctx, c.brokerC, nil, c.broker.PackRedeemWinningTicket(bt, sig, rand))
	return r, wrapf(err, "redeem ticket %s", t.Hash())
}

// IsUsed reports whether the ticket with this hash has been redeemed.
func (c *Client) IsUsed(ctx context.Context, hash common.Hash) (bool, error) {
	used, err := call(ctx, c, c.brokerC, c.broker.PackUsedTickets(hash), c.broker.UnpackUsedTickets)
	return used, wrapf(err, "ticket %s used", hash)
}

// TicketHash asks the contract for t's hash, which t.Hash() computes
// off chain: they agree when t.ChainID and t.Broker are this chain and
// broker.
func (c *Client) TicketHash(ctx context.Context, t *ticket.Ticket) (common.Hash, error) {
	bt, err := toBinding(t)
	if err != nil {
		return common.Hash{}, err
	}
	h, err := call(ctx, c, c.brokerC, c.broker.PackGetTicketHash(bt), c.broker.UnpackGetTicketHash)
	return h, wrapf(err, "ticket hash")
}

// Redemption finds the WinningTicketRedeemed event in a receipt of this
// broker's.
func (c *Client) Redemption(r *types.Receipt) (Redemption, error) {
	for _, l := range r.Logs {
		if l.Address != c.addrs.TicketBroker || len(l.Topics) == 0 ||
			l.Topics[0] != c.broker.GetABI().Events[bindings.TicketBrokerWinningTicketRedeemedEventName].ID {
			continue
		}
		ev, err := c.broker.UnpackWinningTicketRedeemedEvent(l)
		if err != nil {
			return Redemption{}, fmt.Errorf("decode WinningTicketRedeemed: %w", err)
		}
		return Redemption{
			Sender: ev.Sender, Recipient: ev.Recipient, FaceValue: ev.FaceValue, Paid: ev.Paid,
			TicketHash: ev.TicketHash,
		}, nil
	}
	return Redemption{}, fmt.Errorf("%w: WinningTicketRedeemed in tx %s", ErrNoEvent, r.TxHash)
}

// toBinding converts a ticket to the contract's struct. Like t.Hash(), it
// reads a nil integer as 0.
func toBinding(t *ticket.Ticket) (bindings.TicketBrokerTicket, error) {
	face, prob := orZero(t.FaceValue), orZero(t.WinProb)
	if !isUint256(face) || !isUint256(prob) {
		return bindings.TicketBrokerTicket{}, fmt.Errorf("%w: face value %s, win prob %s", ErrBadTicket, face, prob)
	}
	return bindings.TicketBrokerTicket{
		Recipient:         t.Recipient,
		Sender:            t.Sender,
		FaceValue:         face,
		WinProb:           prob,
		SenderNonce:       new(big.Int).SetUint64(uint64(t.SenderNonce)),
		RecipientRandHash: t.RecipientRandHash,
		ExpirationBlock:   new(big.Int).SetUint64(t.ExpirationBlock),
	}, nil
}

func orZero(x *big.Int) *big.Int {
	if x == nil {
		return new(big.Int)
	}
	return x
}
