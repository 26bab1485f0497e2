package recipient

import (
	"errors"
	"fmt"

	"github.com/castmesh/castmesh/payments/wei"
)

// Config sets the terms this orchestrator offers.
type Config struct {
	// TicketEV is the expected value of one ticket. Each payment carries
	// enough tickets to cover its work; a bigger EV means fewer tickets.
	TicketEV wei.Amount `yaml:"ticket_ev"`
	// RedeemGas is the gas one redemption costs.
	RedeemGas uint64 `yaml:"redeem_gas"`
	// FaceValueMultiplier makes the face value this many times the cost of
	// redeeming (or one EV, when that is more), so redemption takes a small
	// share of what a win pays and tickets stay lotteries on cheap chains.
	FaceValueMultiplier uint64 `yaml:"face_value_multiplier"`
	// MaxFaceValue caps the face value; 0 means no cap beyond the
	// sender's reserve. A lower cap means more, smaller wins.
	MaxFaceValue wei.Amount `yaml:"max_face_value"`
	// ParamsLifetime is how many blocks params are good for.
	ParamsLifetime uint64 `yaml:"params_lifetime"`
	// MaxNonces is how many tickets one param set may carry.
	MaxNonces int `yaml:"max_nonces"`
}

// DefaultConfig returns the defaults.
func DefaultConfig() Config {
	ev, _ := wei.ParseAmount("10gwei")
	return Config{
		// 10 gwei: at 1000 wei per output pixel a 2 s segment of a
		// 720p/480p/360p ladder (~94 Mpx) costs ~94 gwei, so about nine
		// tickets a segment (~1 ms to check) and never more than a tenth
		// of a segment's work unpaid. Operators tune it with their price.
		TicketEV: ev,
		// 250 000 gas covers redeemWinningTicket with a cold sender
		// (measured on the dev chain; see payments/README.md).
		RedeemGas: 250_000,
		// 100, as Livepeer: redemption costs 1 % of what a win pays.
		FaceValueMultiplier: 100,
		MaxFaceValue:        wei.NewAmount(nil),
		// 20 blocks: 4 minutes at Ethereum's 12 s blocks, 20 s on the
		// devnet's 1 s blocks; every response carries fresh params.
		ParamsLifetime: 20,
		// 600, as Livepeer: far above the tickets one param set needs.
		MaxNonces: 600,
	}
}

// Validate names the first bad key.
func (c Config) Validate() error {
	switch {
	case c.TicketEV.Int().Sign() <= 0:
		return errors.New("ticket_ev must be positive")
	case c.RedeemGas == 0:
		return errors.New("redeem_gas must be positive")
	case c.FaceValueMultiplier == 0:
		return errors.New("face_value_multiplier must be positive")
	case c.ParamsLifetime < 2:
		return fmt.Errorf("params_lifetime must be at least 2 blocks, got %d", c.ParamsLifetime)
	case c.MaxNonces < 1:
		return fmt.Errorf("max_nonces must be positive, got %d", c.MaxNonces)
	case c.MaxFaceValue.Int().Sign() > 0 && c.MaxFaceValue.Int().Cmp(c.TicketEV.Int()) < 0:
		return errors.New("max_face_value must be 0 (no cap) or at least ticket_ev")
	}
	return nil
}
