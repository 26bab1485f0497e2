// Package sender is the gateway's side of probabilistic micropayments: it
// writes and signs the tickets that pay an orchestrator for each piece of
// work, and refuses terms it should not accept.
//
// For each request it keeps the session's credit (balance.Store, written
// through to SQLite), estimates the fee (price × units) and attaches
// ceil((fee − credit) / EV) tickets, none when the credit covers the work;
// counting them and holding the fee are one reservation on the balance
// store, so requests in flight at once never share credit. Until a session
// has settled work, each request pays its own way in full: the session's
// first payment may reach the orchestrator after later ones, and an
// orchestrator lends nothing to a session no ticket has paid.
// After the work it debits the price of what was actually delivered
// (output pixels counted by the gateway from the renditions it received).
//
// Guards: the session's price is fixed at its first payment and a higher
// price is refused (ErrPriceIncreased), as is a price above the gateway's
// maximum; params must be for this chain and broker, not about to expire
// and not outliving the broker's unlock period, with a ticket EV between
// min_ticket_ev and max_ticket_ev, and a payment of at most
// max_tickets_per_payment tickets worth at most max_total_ev. The count is
// bounded before any conversion or allocation: a hostile orchestrator's
// price and params (up to 2^256 each) cannot make it wrap or run away.
// Nonces count up per param set (the recipient's rand commitment), so no
// two tickets share a draw.
package sender
