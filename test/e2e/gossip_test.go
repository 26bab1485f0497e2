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

// TestGossipDiscovery runs orchestrators and a gateway that knows none of
// them: all join one memberlist cluster on loopback, the orchestrators
// gossip their terms, and the gateway finds and uses them. An
// orchestrator that joins late is found; one that leaves is forgotten.
func TestGossipDiscovery(t *testing.T) {
	n := startGossipNet(t, 2)
	gw := n.gateway(t, "gateway", "gossip-playback-secret-0123456789")
	nodes := func() float64 { return metric(t, gw.admin+"/metrics", "castmesh_discovery_nodes") }
	n.add(t)
	fixture.Eventually(t, time.Minute, func() bool { return nodes() == 3 }, "the gateway to find the late orchestrator")

	segs := fixture.Segments(t, source, 2*time.Second)
	push := func(seq int) {
		t.Helper()
		data, err := os.ReadFile(segs[seq])
		if err != nil {
			t.Fatal(err)
		}
		code, parts, body := harness.Push(t, fmt.Sprintf("%s/live/many-key/%d.ts", gw.http, seq), data, 2000)
		if code != http.StatusOK || len(parts) != 3 {
			t.Fatalf("segment %d through gossip-found orchestrators: %d, %d renditions: %s", seq, code, len(parts), body)
		}
	}
	// Workers register after their orchestrators gossip; the first push
	// waits until some orchestrator has one.
	fixture.Eventually(t, time.Minute, func() bool {
		for _, admin := range n.admins {
			if strings.Contains(orchStatus(t, admin), `"id":"g`) {
				return true
			}
		}
		return false
	}, "a worker to register")
	for seq := range 3 {
		push(seq)
	}
	// An orchestrator that stops leaves the cluster and discovery.
	n.orchs[1].Stop(t)
	fixture.Eventually(t, time.Minute, func() bool { return nodes() == 2 }, "the gateway to forget the stopped orchestrator")
	for seq := 3; seq < 6; seq++ {
		push(seq)
	}
}
