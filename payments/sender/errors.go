package sender

import "errors"

// Errors of the sender. ErrBadParams, ErrEVTooLow, ErrTooManyTickets,
// ErrBadPrice, ErrPriceTooHigh and ErrPriceIncreased are the
// orchestrator's doing: a caller should stop sending it work for a while.
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
	// ErrBadPrice means the price or the fee is absent or negative.
	ErrBadPrice = errors.New("orchestrator's price or the fee is not a non-negative number")
	// ErrBadParams means the orchestrator's ticket params are unacceptable.
	ErrBadParams = errors.New("unacceptable ticket params")
	// ErrEVTooLow means the params' tickets are worth less than
	// min_ticket_ev: paying would take too many of them.
	ErrEVTooLow = errors.New("ticket EV is below min_ticket_ev")
	// ErrTooManyTickets means one payment would exceed max_total_ev or
	// max_tickets_per_payment.
	ErrTooManyTickets = errors.New("payment would exceed max_total_ev or max_tickets_per_payment")
)
