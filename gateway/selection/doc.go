// Package selection picks the orchestrator each segment goes to and keeps
// segments from being lost when one fails (DESIGN.md §6).
//
// A stream stays on its orchestrator while that one succeeds. For a new
// stream, or after a failure, every candidate is asked for its terms in
// parallel (GetInfo, bounded by info_timeout); those that cannot encode the
// stream's codecs, have no workers or are full are dropped, and the least
// loaded (jobs in flight over worker slots, then sessions over the limit)
// wins. A failed orchestrator is suspended for that stream for suspend_for
// and the segment is retried elsewhere, up to max_attempts tries in all.
// Bad input is never retried, and a refused token is refreshed once.
//
// Candidates come from a static list for now; gossip and on-chain
// discovery, and latency and price in the score, are issue #5.
package selection
