// Package pricing is what an orchestrator charges and how it bills: the
// configured price per capability (wei per unit, a rational: transcoding
// is priced per output pixel) and Billing, which joins the payment
// recipient (tickets, balances) to the work.
//
// Before work starts, the segment's payment is checked and credited and
// the session must cover the estimated fee (output pixels × the session's
// price) to within one ticket's EV; after the work, the session is charged
// for the pixels actually made. So no session ever gets more than one
// ticket's EV of work unpaid.
package pricing

import (
	"context"
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"

	"github.com/castmesh/castmesh/payments/recipient"
	"github.com/castmesh/castmesh/payments/ticket"
	"github.com/castmesh/castmesh/payments/wei"
)

// Config is the orchestrator's price list.
type Config struct {
	// Transcode is the price of one output pixel (w × h × frames summed
	// over a segment's renditions), in wei.
	Transcode wei.Price `yaml:"transcode"`
}

// DefaultConfig returns the default prices.
func DefaultConfig() Config {
	p, _ := wei.ParsePrice("1000")
	// 1000 wei per pixel: a 2 s 1080p segment's 720p/480p/360p ladder
	// (94 Mpx) costs ~0.000094 ETH, the order of Livepeer's market prices.
	return Config{Transcode: p}
}

// Validate names the first bad key.
func (c Config) Validate() error {
	if c.Transcode.Rat().Sign() < 0 {
		return errors.New("prices.transcode must not be negative")
	}
	return nil
}

// Billing bills work through a payment recipient.
type Billing struct {
	prices    Config
	recipient *recipient.Recipient
}

// NewBilling makes a Billing.
func NewBilling(prices Config, r *recipient.Recipient) (*Billing, error) {
	if err := prices.Validate(); err != nil {
		return nil, err
	}
	return &Billing{prices: prices, recipient: r}, nil
}

// Address is the orchestrator's address, the tickets' recipient.
func (b *Billing) Address() common.Address { return b.recipient.Address() }

// Price is the price per output pixel new sessions pay.
func (b *Billing) Price() *big.Rat { return b.prices.Transcode.Rat() }

// Params returns fresh ticket params for sender.
func (b *Billing) Params(ctx context.Context, sender common.Address) (*ticket.Params, error) {
	return b.recipient.Params(ctx, sender)
}

// Accept credits a segment's payment to session, checks the session
// covers pixels of work at its price and holds that fee of its credit
// until Charge or Release; it returns the hold.
func (b *Billing) Accept(ctx context.Context, session string, p *ticket.Payment, pixels int64) (*big.Rat, error) {
	if _, err := b.recipient.Receive(ctx, session, p, b.Price()); err != nil {
		return nil, err
	}
	fee := new(big.Rat).Mul(p.ExpectedPrice, new(big.Rat).SetInt64(pixels))
	if err := b.recipient.Cover(recipient.Key(p.Sender, session), fee); err != nil {
		return nil, err
	}
	return fee, nil
}

// Charge ends a hold and bills session for the pixels made; it returns the
// session's balance after.
func (b *Billing) Charge(ctx context.Context, sender common.Address, session string, held *big.Rat, pixels int64) (*big.Rat, error) {
	key := recipient.Key(sender, session)
	bal, ok := b.recipient.Balances().Get(key)
	if !ok || bal.Price == nil {
		return nil, fmt.Errorf("pricing: session %s has no price", session)
	}
	after, err := b.recipient.Charge(ctx, key, held, new(big.Rat).Mul(bal.Price, new(big.Rat).SetInt64(pixels)))
	if err != nil {
		return nil, err
	}
	return after.Credit, nil
}

// Release ends the hold of work that was not done.
func (b *Billing) Release(sender common.Address, session string, held *big.Rat) {
	b.recipient.Release(recipient.Key(sender, session), held)
}
