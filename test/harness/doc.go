// Package harness runs castmesh as real processes for the end-to-end tests
// and benchmarks: it builds the binary, starts and stops processes in their
// own process groups (so a kill takes their ffmpeg children too), starts a
// devnet on free loopback ports, and reads the gateway's HTTP API.
package harness
