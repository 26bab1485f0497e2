// Package sender is the gateway's side of probabilistic micropayments: it
// writes and signs the tickets that pay an orchestrator for each piece of
// work, and refuses terms it should not accept.
//
// For each request it keeps the session's credit (balance.Store, written
// through to SQLite), estimates the fee (price × units) and attaches
// ceil((fee − credit) / EV) tickets, none when the credit covers the work.
// After the work it debits the price of what was actually delivered
// (output pixels counted by the gateway from the renditions it received).
//
// Guards: the session's price is fixed at its first payment and a higher
// price is refused (ErrPriceIncreased), as is a price above the gateway's
// maximum; params must be for this chain and broker, not about to expire
// and not outliving the broker's unlock period, with a ticket EV no more
// than max_ticket_ev and a payment's total EV no more than max_total_ev.
// Nonces count up per param set (the recipient's rand commitment), so no
// two tickets share a draw.
package sender
