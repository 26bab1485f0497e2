// Package redeemer redeems an orchestrator's winning tickets on the
// TicketBroker. Winners wait in a SQLite queue (Queue) so a restart loses
// none, and each is redeemed only after its params' expiration block has
// passed: redemption reveals the recipient's random number, and once the
// params have expired no new ticket can be drawn against it (livepeer.md
// §5.5.6).
//
// Each round (every Interval) the redeemer sends the due tickets one at a
// time and records the transaction. A ticket the broker already marks used
// is recorded as Used (a crash between sending and recording, or a third
// party redeeming it for us: the payout still goes to the recipient). A
// failed attempt is retried next round until the ticket's on-chain validity
// runs out, when it is recorded as Failed. There is no per-error guesswork:
// after any failure the chain is asked what is true.
package redeemer
