// Package attack plays the hostile peers of an open network against real
// castmesh nodes on loopback: a freeloading gateway, a hostile orchestrator,
// a replay after restart, pre-authentication floods and forged gossip. Each
// test shows that no work goes unpaid beyond one ticket's EV, that the node
// stays up and serves its other streams, and that its memory stays bounded.
// Every test is bounded in count and time; servers bind only to loopback.
// docs/security.md is the threat model these tests check.
package attack
