package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/castmesh/castmesh/test/fixture"
)

// devnet is a running `castmesh devnet`.
type devnet struct {
	RTMP          string `json:"rtmp"`
	HTTP          string `json:"http"`
	Admin         string `json:"admin"`
	Orchestrators []struct {
		Addr, Admin, WorkerAdmin string
	} `json:"orchestrators"`
	proc *proc
}

// startDevnet runs the devnet on free loopback ports and waits until it
// says it is up. Workers use x264's ultrafast preset and two jobs each:
// the tests check what comes out, and the 2-core CI machine must keep up
// with a real-time 1080p publisher (the default preset's speed is measured
// by `make bench`, not here).
func startDevnet(t *testing.T) *devnet {
	t.Helper()
	fixture.RequireTool(t, "ffmpeg")
	ready := filepath.Join(t.TempDir(), "ready.json")
	p := start(t, "devnet", binary, "devnet",
		"--rtmp-addr", "127.0.0.1:0", "--http-addr", "127.0.0.1:0", "--admin-addr", "127.0.0.1:0",
		"--orchestrator-port", "0", "--preset", "ultrafast", "--worker-capacity", "2",
		"--ready-file", ready, "--log.level", "debug")
	var d devnet
	fixture.Eventually(t, 60*time.Second, func() bool {
		b, err := os.ReadFile(ready)
		return err == nil && json.Unmarshal(b, &d) == nil
	})
	d.proc = p
	if len(d.Orchestrators) != 2 {
		t.Fatalf("devnet runs %d orchestrators, want 2", len(d.Orchestrators))
	}
	return &d
}
