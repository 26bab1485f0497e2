// Package workers is the orchestrator's registry of connected workers and
// its dispatcher: it picks a worker for each segment (the stream's worker
// while that one is healthy, else the least loaded that can encode every
// profile), waits for a free slot on it, and moves the job to another worker
// when the first one fails or disconnects, so a dying worker loses no
// segment. Input errors are never retried: another worker would fail the
// same way.
//
// Workers are reached through Conn, which the rpc package implements over
// each worker's gRPC stream; this package knows nothing of the wire.
package workers
