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
	"syscall"
)

const usage = `castmesh — an open network for live video transcoding

Usage:
  castmesh gateway      [--config FILE] [flags]   ingest, HLS playback, orchestrator selection
  castmesh orchestrator [--config FILE] [flags]   sells transcoding; --combined runs a worker in-process
  castmesh worker       [--config FILE] [flags]   transcodes for one orchestrator
  castmesh devnet       [--config FILE] [flags]   gateway + 2 orchestrators + workers on loopback
  castmesh version

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
	e := env{args: args[1:], environ: environ, stdout: stdout, stderr: stderr}
	var err error
	switch args[0] {
	case "gateway":
		err = runGateway(ctx, e)
	case "orchestrator":
		err = runOrchestrator(ctx, e)
	case "worker":
		err = runWorker(ctx, e)
	case "devnet":
		err = runDevnet(ctx, e)
	case "version":
		fmt.Fprintln(stdout, "castmesh", version())
		return 0
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "castmesh: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	switch {
	case errors.Is(err, flag.ErrHelp):
		return 0
	case err != nil:
		fmt.Fprintf(stderr, "castmesh %s: %v\n", args[0], err)
		return 1
	}
	return 0
}
