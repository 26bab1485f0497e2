// Package hubclient is the worker's side of WorkerHub.Connect (DESIGN.md §4),
// the only package on the worker that imports the generated protocol code.
// The worker dials out to its orchestrator, so it needs no inbound port:
// it registers with the shared secret, its capacity and what it can encode,
// then receives jobs and streams renditions back on the same stream, sending
// a heartbeat at the interval the hub asks for. A lost connection is redialled
// with exponential backoff; a refused secret is final.
package hubclient
