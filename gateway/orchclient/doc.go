// Package orchclient is the gateway's client of the Orchestrator gRPC
// service, the only package on the gateway that imports the generated
// protocol code. It turns wire messages into plain types and gRPC status
// codes into the sentinel errors selection branches on: ErrBadInput (never
// retry), ErrBusy and ErrUnavailable (try another orchestrator), ErrAuth
// (refresh the session token and try again).
package orchclient
