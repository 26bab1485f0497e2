package sender

import (
	"errors"

	"github.com/castmesh/castmesh/payments/wei"
)

// Config bounds what the gateway pays.
type Config struct {
	// MaxTicketEV refuses params whose tickets are worth more.
	MaxTicketEV wei.Amount `yaml:"max_ticket_ev"`
	// MaxTotalEV caps the value of the tickets in one payment.
	MaxTotalEV wei.Amount `yaml:"max_total_ev"`
}

// DefaultConfig returns the defaults.
func DefaultConfig() Config {
	ticketEV, _ := wei.ParseAmount("10000gwei")
	total, _ := wei.ParseAmount("0.01eth")
	return Config{
		// 10 000 gwei: ten times an orchestrator's default ticket EV.
		MaxTicketEV: ticketEV,
		// 0.01 ETH a payment: a 2 s 1080p ladder at 1000 wei per pixel costs
		// about 0.0001 ETH, so this stops only a runaway estimate.
		MaxTotalEV: total,
	}
}

// Validate names the first bad key.
func (c Config) Validate() error {
	if c.MaxTicketEV.Int().Sign() <= 0 || c.MaxTotalEV.Int().Sign() <= 0 {
		return errors.New("max_ticket_ev and max_total_ev must be positive")
	}
	if c.MaxTotalEV.Int().Cmp(c.MaxTicketEV.Int()) < 0 {
		return errors.New("max_total_ev must be at least max_ticket_ev")
	}
	return nil
}
