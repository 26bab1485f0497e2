package sender

import "errors"

// Errors of the sender.
var (
	// ErrNoDeposit means the gateway has no deposit on the broker: it
	// cannot pay, so it must not ask for work.
	ErrNoDeposit = errors.New("the gateway has no deposit on the TicketBroker (castmesh gateway deposit)")
	// ErrUnlocking means the gateway is withdrawing its funds.
	ErrUnlocking = errors.New("the gateway's funds are unlocking (castmesh gateway unlock was run)")
	// ErrPriceIncreased means the orchestrator asks more than the price the
	// session was fixed at.
	ErrPriceIncreased = errors.New("orchestrator's price rose above the session's fixed price")
	// ErrPriceTooHigh means the price is above the gateway's maximum.
	ErrPriceTooHigh = errors.New("orchestrator's price is above the maximum")
	// ErrBadParams means the orchestrator's ticket params are unacceptable.
	ErrBadParams = errors.New("unacceptable ticket params")
	// ErrTooManyTickets means one payment would exceed max_total_ev.
	ErrTooManyTickets = errors.New("payment would exceed max_total_ev")
)
