// Package e2e runs castmesh as real processes, fed by real publishers
// (ffmpeg over RTMP, HTTP push) and read by a real HLS client, and checks
// what comes out: the Done-when lists of the issues, as tests.
package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/castmesh/castmesh/test/harness"
)

// binary is the castmesh binary under test, built once with -race.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "castmesh-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if binary, err = harness.Build(context.Background(), dir, true); err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// startDevnet runs a devnet whose workers use x264's ultrafast preset and
// two jobs each: these tests check what comes out, and the 2-core CI
// machine must keep up with a real-time 1080p publisher (the default
// preset's speed is measured by `make bench`, not here).
func startDevnet(t *testing.T) *harness.Devnet {
	t.Helper()
	d := harness.StartDevnet(t, binary, "--preset", "ultrafast", "--worker-capacity", "2", "--log.level", "debug")
	if len(d.Orchestrators) != 2 {
		t.Fatalf("devnet runs %d orchestrators, want 2", len(d.Orchestrators))
	}
	return d
}

// runFFmpeg runs ffmpeg to completion (bounded by limit) and returns its
// stderr and error.
func runFFmpeg(t *testing.T, limit time.Duration, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), limit)
	defer cancel()
	var stderr strings.Builder
	cmd := exec.CommandContext(ctx, "ffmpeg", append([]string{"-hide_banner", "-loglevel", "error", "-nostdin"}, args...)...)
	cmd.Stderr = &stderr
	err := cmd.Run()
	if ctx.Err() != nil {
		return stderr.String(), fmt.Errorf("ffmpeg ran past %s: %w", limit, ctx.Err())
	}
	return stderr.String(), err
}
