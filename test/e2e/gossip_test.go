package e2e

import (
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/castmesh/castmesh/test/fixture"
	"github.com/castmesh/castmesh/test/harness"
)

// TestGossipDiscovery runs three orchestrators and a gateway that knows
// none of them: all four join one memberlist cluster on loopback, the
// orchestrators gossip their terms, and the gateway finds and uses them.
// An orchestrator that leaves is forgotten; one that joins late is found.
func TestGossipDiscovery(t *testing.T) {
	fixture.RequireTool(t, "ffmpeg")
	a := harness.FreeAddrs(t, 3+3*4)
	gw := struct{ http, admin, gossip string }{"http://" + a[0], "http://" + a[1], a[2]}
	var seed string
	var orchs []*harness.Proc
	startOrch := func(i int) {
		grpc, admin, gossipAddr, workerAdmin := a[3+4*i], a[4+4*i], a[5+4*i], a[6+4*i]
		args := []string{
			"orchestrator", "--grpc-addr", grpc, "--admin-addr", admin, "--worker-secret", workerSecret,
			"--heartbeat", "500ms", "--payments.mode", "off", "--log.level", "debug",
			"--gossip.bind-addr", gossipAddr, "--gossip.profile", "local", "--gossip.join-retry", "200ms",
		}
		if seed == "" {
			seed = gossipAddr
			args = append(args, "--gossip.enabled=true")
		} else {
			args = append(args, "--join", seed)
		}
		orchs = append(orchs, harness.Start(t, fmt.Sprintf("orchestrator-%d", i+1), binary, args...))
		harness.Start(t, fmt.Sprintf("worker-%d", i+1), binary, "worker", "--orchestrator", grpc, "--secret", workerSecret,
			"--id", fmt.Sprintf("g%d", i+1), "--capacity", "1", "--admin-addr", workerAdmin,
			"--transcode.preset", "ultrafast", "--reconnect-min", "100ms", "--log.level", "debug")
	}
	startOrch(0)
	startOrch(1)
	harness.Start(t, "gateway", binary, "gateway", "--rtmp.addr", "127.0.0.1:0", "--http-addr", a[0], "--admin-addr", a[1],
		"--auth.stream-keys", `[{"key":"gossip-key"}]`, "--payments.mode", "off", "--log.level", "debug",
		"--join", seed, "--gossip.bind-addr", gw.gossip, "--gossip.profile", "local", "--gossip.join-retry", "200ms",
		"--discovery.cache.interval", "300ms", "--selection.info-interval", "300ms")
	nodes := func() float64 { return metric(t, gw.admin+"/metrics", "castmesh_discovery_nodes") }
	fixture.Eventually(t, time.Minute, func() bool { return nodes() == 2 }, "the gateway to find 2 orchestrators")
	startOrch(2)
	fixture.Eventually(t, time.Minute, func() bool { return nodes() == 3 }, "the gateway to find the late orchestrator")

	segs := fixture.Segments(t, source, 2*time.Second)
	push := func(seq int) {
		t.Helper()
		data, err := os.ReadFile(segs[seq])
		if err != nil {
			t.Fatal(err)
		}
		code, parts, body := harness.Push(t, fmt.Sprintf("%s/live/gossip-key/%d.ts", gw.http, seq), data, 2000)
		if code != http.StatusOK || len(parts) != 3 {
			t.Fatalf("segment %d through gossip-found orchestrators: %d, %d renditions: %s", seq, code, len(parts), body)
		}
	}
	// Workers register after their orchestrators gossip; the first push
	// waits until some orchestrator has one.
	fixture.Eventually(t, time.Minute, func() bool {
		for i := range 3 {
			if strings.Contains(orchStatus(t, "http://"+a[4+4*i]), `"id":"g`) {
				return true
			}
		}
		return false
	}, "a worker to register")
	for seq := range 3 {
		push(seq)
	}
	// An orchestrator that stops leaves the cluster and discovery.
	orchs[1].Stop(t)
	fixture.Eventually(t, time.Minute, func() bool { return nodes() == 2 }, "the gateway to forget the stopped orchestrator")
	for seq := 3; seq < 6; seq++ {
		push(seq)
	}
}
