// Package broker deploys and drives castmesh's on-chain contracts: the
// TicketBroker, which escrows a sender's deposit and per-recipient reserves
// and pays winning probabilistic-micropayment tickets, and the
// ServiceRegistry, where orchestrators publish their service URI.
//
// The Solidity sources are in contracts/, compiled by solc/ (solc-js
// pinned by package-lock.json) into build/, with abigen v2 bindings in
// bindings/; `make contracts` regenerates them. The contract computes a
// ticket's hash exactly as payments/ticket does, so a ticket signed in Go
// (EIP-191) redeems on chain.
//
// Client talks to the contracts through any JSON-RPC backend (an
// *ethclient.Client, or the simulated chain in tests). Its transactions
// are serialised, gas is estimated, and a revert's custom error comes back
// as a *RevertError matching one of this package's sentinels through
// errors.Is (decoded by ABI selector, never by message text).
package broker
