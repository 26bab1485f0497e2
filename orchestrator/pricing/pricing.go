// Package pricing is what an orchestrator charges and how it bills: the
// configured price per capability (wei per unit, a rational: transcoding
// is priced per output pixel, each AI pipeline per its billing unit, see
// ai/pipeline) and Billing, which joins the payment recipient (tickets,
// balances) to the work.
//
// Before work starts, the request's payment is checked and credited and
// the session must cover the estimated fee (units × the session's price),
// except that a sender may owe one ticket's EV across all its sessions;
// after the work, the session is charged for the units actually made. So no
// sender ever gets more than one ticket's EV of work unpaid, however many
// sessions it opens.
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

// Transcode is the capability name of transcoding in prices.
const Transcode = "transcode"

// Config is the orchestrator's price list.
type Config struct {
	// Transcode is the price of one output pixel (w × h × frames summed
	// over a segment's renditions), in wei.
	Transcode wei.Price `yaml:"transcode"`
	// AI prices AI pipelines per billing unit. A model's price is the entry
	// naming its pipeline and model, else the one naming its pipeline with
	// no model; a pipeline with neither is not offered for pay.
	AI []AIPrice `yaml:"ai"`
}

// AIPrice is the price of one unit of an AI pipeline, in wei.
type AIPrice struct {
	Pipeline string `yaml:"pipeline"`
	// ModelID narrows the price to one model; empty means every model.
	ModelID      string    `yaml:"model_id"`
	PricePerUnit wei.Price `yaml:"price_per_unit"`
}

// DefaultConfig returns the default prices.
func DefaultConfig() Config {
	price := func(s string) wei.Price {
		p, _ := wei.ParsePrice(s)
		return p
	}
	return Config{
		// 1000 wei per pixel: a 2 s 1080p segment's 720p/480p/360p ladder
		// (94 Mpx) costs ~0.000094 ETH, the order of Livepeer's market prices.
		Transcode: price("1000"),
		// AI: starting points for operators to tune, scaled to what each
		// unit costs a CPU worker here. Images and video per output (or
		// input) pixel: a 1024×576 image ≈ 0.6 gwei.
		AI: []AIPrice{
			{Pipeline: "text-to-image", PricePerUnit: price("1000")},
			{Pipeline: "image-to-image", PricePerUnit: price("1000")},
			{Pipeline: "image-to-video", PricePerUnit: price("1000")},
			{Pipeline: "segment-anything-2", PricePerUnit: price("1000")},
			{Pipeline: "image-to-text", PricePerUnit: price("1000")},
			// Upscaling works per input pixel and costs a CPU ~10 µs each.
			{Pipeline: "upscale", PricePerUnit: price("50000")},
			// Per millisecond of audio: a minute ≈ 6 gwei.
			{Pipeline: "audio-to-text", PricePerUnit: price("100000")},
			// Per character of text.
			{Pipeline: "text-to-speech", PricePerUnit: price("1000000")},
			// Per completion token.
			{Pipeline: "llm", PricePerUnit: price("10000000")},
		},
	}
}

// Validate names the first bad key.
func (c Config) Validate() error {
	if c.Transcode.Rat().Sign() < 0 {
		return errors.New("prices.transcode must not be negative")
	}
	seen := map[[2]string]bool{}
	for i, p := range c.AI {
		k := [2]string{p.Pipeline, p.ModelID}
		switch {
		case p.Pipeline == "":
			return fmt.Errorf("prices.ai[%d].pipeline must be set", i)
		case p.PricePerUnit.Rat().Sign() < 0:
			return fmt.Errorf("prices.ai[%d].price_per_unit must not be negative", i)
		case seen[k]:
			return fmt.Errorf("prices.ai[%d]: %s %q is priced twice", i, p.Pipeline, p.ModelID)
		}
		seen[k] = true
	}
	return nil
}

// Price is what one unit of capability costs with model: the transcode
// price, or an AI pipeline's. ok is false for an AI pipeline without one.
func (c Config) Price(capability, model string) (price *big.Rat, ok bool) {
	if capability == Transcode {
		return c.Transcode.Rat(), true
	}
	var fallback *big.Rat
	for _, p := range c.AI {
		if p.Pipeline != capability {
			continue
		}
		if p.ModelID == model {
			return p.PricePerUnit.Rat(), true
		}
		if p.ModelID == "" {
			fallback = p.PricePerUnit.Rat()
		}
	}
	return fallback, fallback != nil
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

// Price is what a new session pays per unit of capability with model.
func (b *Billing) Price(capability, model string) (*big.Rat, bool) {
	return b.prices.Price(capability, model)
}

// Params returns fresh ticket params for sender.
func (b *Billing) Params(ctx context.Context, sender common.Address) (*ticket.Params, error) {
	return b.recipient.Params(ctx, sender)
}

// Accept credits a request's payment to session, whose price must be at
// least ask when the session is new, checks the session covers units of
// work at its price and holds that fee of its credit until Charge or
// Release; it returns the hold.
func (b *Billing) Accept(ctx context.Context, session string, p *ticket.Payment, ask *big.Rat, units int64) (*big.Rat, error) {
	if _, err := b.recipient.Receive(ctx, session, p, ask); err != nil {
		return nil, err
	}
	fee := new(big.Rat).Mul(p.ExpectedPrice, new(big.Rat).SetInt64(units))
	if err := b.recipient.Cover(recipient.Key(p.Sender, session), fee); err != nil {
		return nil, err
	}
	return fee, nil
}

// Charge ends a hold and bills session for the units made; it returns the
// session's balance after.
func (b *Billing) Charge(ctx context.Context, sender common.Address, session string, held *big.Rat, units int64) (*big.Rat, error) {
	key := recipient.Key(sender, session)
	bal, ok := b.recipient.Balances().Get(key)
	if !ok || bal.Price == nil {
		return nil, fmt.Errorf("pricing: session %s has no price", session)
	}
	after, err := b.recipient.Charge(ctx, key, held, new(big.Rat).Mul(bal.Price, new(big.Rat).SetInt64(units)))
	if err != nil {
		return nil, err
	}
	return after.Credit, nil
}

// Release ends the hold of work that was not done.
func (b *Billing) Release(sender common.Address, session string, held *big.Rat) {
	b.recipient.Release(recipient.Key(sender, session), held)
}
