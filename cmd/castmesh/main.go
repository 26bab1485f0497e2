// Command castmesh runs one castmesh role per subcommand: gateway,
// orchestrator, worker, or the whole network on loopback (devnet). This
// package only parses flags and wires the roles together; it is the only
// place that exits the process.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

const usage = `castmesh — an open network for live video transcoding

Usage:
  castmesh gateway      [--config FILE] [flags]   ingest, HLS playback, orchestrator selection
  castmesh orchestrator [--config FILE] [flags]   sells transcoding; --combined runs a worker in-process
  castmesh worker       [--config FILE] [flags]   transcodes for one orchestrator
  castmesh chain        [--config FILE] [flags]   embedded Ethereum dev chain with the contracts
  castmesh devnet       [--config FILE] [flags]   chain + gateway + 2 orchestrators + workers on loopback
  castmesh vod submit FILE [flags]                upload a video to a gateway's file API and run a job on it
  castmesh version

Operator commands (they take the role's config and flags too):
` + gatewayOpsUsage + `
` + orchestratorOpsUsage + `

Every setting comes from defaults < --config YAML < CASTMESH_* env < flags.
Run "castmesh <role> -h" for a role's flags.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Environ(), os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// env is what a subcommand gets from the process.
type env struct {
	args    []string
	environ []string
	stdout  io.Writer
	stderr  io.Writer
}

func run(ctx context.Context, args, environ []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	// A role's operator command: castmesh gateway deposit 1eth …
	op, rest := "", args[1:]
	if len(rest) > 0 && (args[0] == "gateway" && isGatewayOp(rest[0]) || args[0] == "orchestrator" && isOrchestratorOp(rest[0])) {
		op, rest = rest[0], rest[1:]
	}
	e := env{args: rest, environ: environ, stdout: stdout, stderr: stderr}
	var err error
	switch {
	case op != "" && args[0] == "gateway":
		err = runGatewayOp(ctx, op, e)
	case op != "":
		err = runOrchestratorOp(ctx, op, e)
	case args[0] == "gateway":
		err = runGateway(ctx, e)
	case args[0] == "orchestrator":
		err = runOrchestrator(ctx, e)
	case args[0] == "worker":
		err = runWorker(ctx, e)
	case args[0] == "chain":
		err = runChain(ctx, e)
	case args[0] == "devnet":
		err = runDevnet(ctx, e)
	case args[0] == "vod":
		err = runVOD(ctx, e)
	case args[0] == "version":
		fmt.Fprintln(stdout, "castmesh", version())
	case args[0] == "help" || args[0] == "-h" || args[0] == "--help":
		fmt.Fprint(stdout, usage)
	default:
		fmt.Fprintf(stderr, "castmesh: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	switch {
	case errors.Is(err, flag.ErrHelp):
		return 0
	case err != nil:
		fmt.Fprintf(stderr, "castmesh %s: %v\n", strings.TrimSpace(args[0]+" "+op), err)
		return 1
	}
	return 0
}
