// Package recipient is the orchestrator's side of probabilistic
// micropayments: it offers ticket params, checks the tickets that come
// back, credits their expected value, and hands winners to the durable
// redemption queue.
//
// Params are stateless: recipientRand = HMAC-SHA256(secret, seed ‖ sender ‖
// faceValue ‖ winProb ‖ expirationBlock ‖ chainId ‖ broker), re-derived
// from the seed the sender echoes, so the orchestrator stores nothing per
// param set; a tampered field changes the rand and fails the commitment.
// The face value is the cost of redeeming (gas × gas price) times a
// multiplier, so redemption costs a small share of what it pays, and at most
// what the sender's reserve for this orchestrator still guarantees after
// its winners awaiting redemption; winProb is set so each ticket is worth
// the configured EV.
//
// Every ticket is checked (typed errors in errors.go): recipient, chain and
// broker, the rand commitment, the sender's funds and unlock state, the
// signature (canonical, the sender's), then the draw, then expiry and
// replay (a nonce seen before under the same params, recorded in the
// node's database until the ticket can no longer be redeemed, so a restart
// does not forget it: Nonces). Winners are queued before
// the replay and expiry checks, as Livepeer does: a winning ticket is worth
// redeeming even if crediting stopped. Crediting stops at the first
// failing ticket; the payment then returns that error.
//
// Work starts only when credit covers it (Cover): a session's credit no
// other work in flight holds must pay the fee, except that a sender may owe
// at most one ticket's EV across all its sessions, checked and held in one
// step, and only on a session a valid ticket has paid. A sender's address
// is public and a payment without tickets carries no signature, so that
// slack must neither renew with each session nor go to whoever names an
// address.
package recipient
