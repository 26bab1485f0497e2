// Package e2e runs castmesh as real processes, fed by real publishers
// (ffmpeg over RTMP, HTTP push) and read by a real HLS client, and checks
// what comes out: the Done-when lists of the issues, as tests.
package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// binary is the castmesh binary under test, built once with -race.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "castmesh-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "castmesh")
	build := exec.CommandContext(context.Background(), "go", "build", "-race", "-o", binary, "github.com/castmesh/castmesh/cmd/castmesh")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "e2e: building castmesh:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
