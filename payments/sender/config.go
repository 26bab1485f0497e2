package sender

import (
	"errors"
	"fmt"

	"github.com/castmesh/castmesh/payments/wei"
)

// Config bounds what the gateway pays. Every bound holds against an
// orchestrator that quotes whatever it likes: its ticket params and price
// are checked against them before anything is computed or allocated.
type Config struct {
	// MinTicketEV refuses params whose tickets are worth less: a tiny EV
	// would make the gateway sign a ticket per wei of work.
	MinTicketEV wei.Amount `yaml:"min_ticket_ev"`
	// MaxTicketEV refuses params whose tickets are worth more.
	MaxTicketEV wei.Amount `yaml:"max_ticket_ev"`
	// MaxTotalEV caps the value of the tickets in one payment.
	MaxTotalEV wei.Amount `yaml:"max_total_ev"`
	// MaxTicketsPerPayment caps the tickets signed for one payment.
	MaxTicketsPerPayment int64 `yaml:"max_tickets_per_payment"`
}

// DefaultConfig returns the defaults.
func DefaultConfig() Config {
	minEV, _ := wei.ParseAmount("1gwei")
	ticketEV, _ := wei.ParseAmount("10000gwei")
	total, _ := wei.ParseAmount("0.01eth")
	return Config{
		// 1 gwei: a tenth of an orchestrator's default ticket EV, so a 2 s
		// segment at the maximum price needs at most a few hundred tickets.
		MinTicketEV: minEV,
		// 10 000 gwei: a thousand times an orchestrator's default ticket EV.
		MaxTicketEV: ticketEV,
		// 0.01 ETH a payment: a 2 s 1080p ladder at 1000 wei per pixel costs
		// about 0.0001 ETH, so this stops only a runaway estimate.
		MaxTotalEV: total,
		// 600, the tickets an orchestrator takes under one param set by
		// default (max_nonces): a bigger payment would be refused anyway.
		// About 30 ms of signing.
		MaxTicketsPerPayment: 600,
	}
}

// Validate names the first bad key.
func (c Config) Validate() error {
	switch {
	case c.MinTicketEV.Int().Sign() <= 0:
		return errors.New("min_ticket_ev must be positive")
	case c.MaxTicketEV.Int().Sign() <= 0 || c.MaxTotalEV.Int().Sign() <= 0:
		return errors.New("max_ticket_ev and max_total_ev must be positive")
	case c.MaxTicketEV.Int().Cmp(c.MinTicketEV.Int()) < 0:
		return errors.New("max_ticket_ev must be at least min_ticket_ev")
	case c.MaxTotalEV.Int().Cmp(c.MaxTicketEV.Int()) < 0:
		return errors.New("max_total_ev must be at least max_ticket_ev")
	case c.MaxTicketsPerPayment < 1 || c.MaxTicketsPerPayment > maxTickets:
		return fmt.Errorf("max_tickets_per_payment must be between 1 and %d, got %d", maxTickets, c.MaxTicketsPerPayment)
	}
	return nil
}

// maxTickets is the most max_tickets_per_payment may be: what one payment
// message may carry (proto/convert.MaxTickets).
const maxTickets = 1000
