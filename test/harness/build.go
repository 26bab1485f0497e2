package harness

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// Build compiles cmd/castmesh into dir and returns the binary's path. Tests
// build with the race detector; benchmarks without, to time what operators
// run.
func Build(ctx context.Context, dir string, race bool) (string, error) {
	return BuildCommand(ctx, dir, "cmd/castmesh", race)
}

// BuildCommand compiles the module's command at pkg (e.g. "test/airunner")
// into dir and returns the binary's path.
func BuildCommand(ctx context.Context, dir, pkg string, race bool) (string, error) {
	bin := filepath.Join(dir, filepath.Base(pkg))
	args := []string{"build", "-o", bin}
	if race {
		args = append(args, "-race")
	}
	cmd := exec.CommandContext(ctx, "go", append(args, "github.com/castmesh/castmesh/"+pkg)...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("building %s: %w", pkg, err)
	}
	return bin, nil
}
