// Package rpc is the orchestrator's gRPC adapter, the only package on this
// side that imports the generated protocol code. It serves two services on
// the orchestrator's TLS port (DESIGN.md §4): Orchestrator, for gateways
// (GetInfo, Ping, EndSession, Transcode), and WorkerHub, where workers dial
// in, register and receive jobs over one bidirectional stream each.
//
// Errors cross the wire as gRPC status codes chosen in one place (status.go):
// INVALID_ARGUMENT for input that will never transcode, RESOURCE_EXHAUSTED
// when the orchestrator is full, UNAUTHENTICATED for a bad session token,
// PERMISSION_DENIED for a wrong worker secret, UNAVAILABLE when no worker
// can take the job, INTERNAL for the rest.
package rpc
