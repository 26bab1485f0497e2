package broker

import (
	"context"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"

	"github.com/castmesh/castmesh/payments/broker/bindings"
)

// RedeemedTicket is a WinningTicketRedeemed event with where it happened.
type RedeemedTicket struct {
	Redemption
	TxHash common.Hash
	Block  uint64
}

// Redemptions lists the tickets redeemed for recipient from block on,
// oldest first: what an orchestrator was paid, from the chain itself.
func (c *Client) Redemptions(ctx context.Context, recipient common.Address, from uint64) ([]RedeemedTicket, error) {
	ev := c.broker.GetABI().Events[bindings.TicketBrokerWinningTicketRedeemedEventName]
	logs, err := c.backend.FilterLogs(ctx, ethereum.FilterQuery{
		FromBlock: new(big.Int).SetUint64(from),
		Addresses: []common.Address{c.addrs.TicketBroker},
		// Topics: the event, any sender, this recipient.
		Topics: [][]common.Hash{{ev.ID}, nil, {common.BytesToHash(recipient.Bytes())}},
	})
	if err != nil {
		return nil, fmt.Errorf("redemptions of %s: %w", recipient.Hex(), err)
	}
	out := make([]RedeemedTicket, 0, len(logs))
	for i := range logs {
		e, err := c.broker.UnpackWinningTicketRedeemedEvent(&logs[i])
		if err != nil {
			return nil, fmt.Errorf("decode WinningTicketRedeemed: %w", err)
		}
		out = append(out, RedeemedTicket{
			Redemption: Redemption{Sender: e.Sender, Recipient: e.Recipient, FaceValue: e.FaceValue, Paid: e.Paid, TicketHash: e.TicketHash},
			TxHash:     logs[i].TxHash, Block: logs[i].BlockNumber,
		})
	}
	return out, nil
}
