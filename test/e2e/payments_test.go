package e2e

import (
	"encoding/json"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/castmesh/castmesh/pkg/httpjson"
	"github.com/castmesh/castmesh/test/fixture"
	"github.com/castmesh/castmesh/test/harness"
)

// paidClip is the paid tests' source: 360p30 H.264 + AAC, 2 s GOPs. The
// money is the point here, and several race-built processes, a chain and
// the encoder share two cores: a small picture keeps the stream real-time.
func paidClip(t *testing.T, d time.Duration) string {
	return fixture.Clip(t, fixture.ClipSpec{Width: 640, Height: 360, FPS: 30, Duration: d, GOP: 2 * time.Second, Audio: true})
}

// publish streams a clip once over RTMP at real time and waits for the
// stream to end on the gateway; it returns the stream as last listed.
func (n *paidNet) publish(key, clip string) harness.Stream {
	n.t.Helper()
	done := make(chan error, 1)
	go func() {
		out, err := runFFmpeg(n.t, 4*time.Minute, "-re", "-i", clip, "-c", "copy", "-f", "flv", "rtmp://"+n.gw.rtmp+"/live/"+key)
		if err != nil {
			n.t.Logf("ffmpeg: %s", out)
		}
		done <- err
	}()
	st := harness.WaitStream(n.t, n.gw.http, 30*time.Second, func(s harness.Stream) bool { return s.Ingest == "rtmp" })
	var last harness.Stream
	if err := <-done; err != nil {
		n.t.Fatalf("publisher: %v", err)
	}
	fixture.Eventually(n.t, 2*time.Minute, func() bool {
		for _, s := range harness.Streams(n.t, n.gw.http) {
			if s.ID == st.ID {
				last = s
				return false
			}
		}
		return true
	}, "the stream to end")
	return last
}

// TestPaidStream transcodes a 60 s RTMP stream on a network of separate
// processes with payments on, on the embedded chain, and checks the money:
// winners redeemed, every wei accounted for on chain, each orchestrator
// credited within one ticket EV of the pixels it delivered.
func TestPaidStream(t *testing.T) {
	n := startPaidNet(t, embeddedChain(t, 3), 2)
	n.fund("5eth", "1eth")
	before := n.ledger()
	last := n.publish("paid", paidClip(t, time.Minute))
	if last.Segments < 28 || last.Failed != 0 || last.Dropped != 0 {
		t.Errorf("stream: %d segments played, %d failed, %d dropped", last.Segments, last.Failed, last.Dropped)
	}
	n.waitRedeemed(time.Minute)
	if redeemed := n.checkSettlement(before); redeemed == 0 {
		t.Fatal("no winning ticket was redeemed")
	} else {
		t.Logf("%d winning tickets redeemed", redeemed)
	}
	n.checkCredit()
}

// TestOrchestratorRestartKeepsWinners kills the orchestrator a paid stream
// uses while it holds winners not yet redeemed, lets the stream go on on
// the other one, restarts the first and checks it redeems every winner.
func TestOrchestratorRestartKeepsWinners(t *testing.T) {
	n := startPaidNet(t, embeddedChain(t, 3), 2)
	n.fund("5eth", "1eth")
	before := n.ledger()
	pub := harness.Start(t, "publisher", "ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-re",
		"-stream_loop", "-1", "-i", paidClip(t, 10*time.Second), "-c", "copy", "-f", "flv", "rtmp://"+n.gw.rtmp+"/live/restart")
	st := harness.WaitStream(t, n.gw.http, 30*time.Second, func(s harness.Stream) bool { return s.Ingest == "rtmp" })

	victim, held := -1, 0
	fixture.Eventually(t, 90*time.Second, func() bool {
		for i := range n.orchs {
			if s := n.orchestratorStatus(i); s.Payments.Tickets.Count["pending"] > 0 {
				victim, held = i, s.winners()
				return true
			}
		}
		return false
	}, "an orchestrator to hold a winner awaiting redemption")
	n.orchs[victim].proc.Kill()
	t.Logf("killed %s holding %d winners", n.orchs[victim].name, held)

	// The stream goes on on the other orchestrator.
	atKill := current(t, n, st.ID)
	fixture.Eventually(t, time.Minute, func() bool { return current(t, n, st.ID).Segments >= atKill.Segments+5 },
		"the stream to go on after the kill")
	n.startOrchestrator(victim)
	fixture.Eventually(t, 30*time.Second, func() bool { return n.orchestratorStatus(victim).winners() >= held },
		"the restarted orchestrator to have its winners back")
	pub.Stop(t)
	fixture.Eventually(t, time.Minute, func() bool { return harness.StreamGone(t, n.gw.http, st.ID) }, "the stream to end")
	if last := current(t, n, st.ID); last.Failed != 0 || last.Dropped != 0 {
		t.Errorf("stream lost segments across the kill: %+v", last)
	}
	n.waitRedeemed(time.Minute)
	n.checkSettlement(before)
}

// current is a stream's latest listing, or its last one once it ended.
func current(t *testing.T, n *paidNet, id string) harness.Stream {
	for _, s := range harness.Streams(t, n.gw.http) {
		if s.ID == id {
			n.lastSeen = s
		}
	}
	return n.lastSeen
}

// TestPaidStreamOnGeth runs the same payment flow against a real
// `geth --dev` node: contracts deployed and accounts funded by castmesh's
// own code, a 20 s stream, winners redeemed, every wei accounted for.
func TestPaidStreamOnGeth(t *testing.T) {
	n := startPaidNet(t, gethChain(t, 2), 1)
	n.fund("5eth", "1eth")
	before := n.ledger()
	last := n.publish("geth", paidClip(t, 20*time.Second))
	if last.Segments < 9 || last.Failed != 0 {
		t.Errorf("stream: %+v", last)
	}
	n.waitRedeemed(time.Minute)
	if redeemed := n.checkSettlement(before); redeemed == 0 {
		t.Fatal("no winning ticket was redeemed on geth")
	}
	n.checkCredit()
}

// TestUnfundedGatewayIsRefused checks a gateway without a deposit refuses
// publishers with a clear error before any work is done.
func TestUnfundedGatewayIsRefused(t *testing.T) {
	n := startPaidNet(t, embeddedChain(t, 2), 1)
	clip := paidClip(t, 10*time.Second)
	out, err := runFFmpeg(t, 30*time.Second, "-re", "-t", "2", "-i", clip, "-c", "copy", "-f", "flv", "rtmp://"+n.gw.rtmp+"/live/broke")
	if err == nil {
		t.Fatal("an unfunded gateway accepted an RTMP publisher")
	}
	t.Logf("ffmpeg: %v %s", err, out)
	seg := fixture.Segments(t, fixture.ClipSpec{Width: 640, Height: 360, FPS: 30, Duration: 10 * time.Second, GOP: 2 * time.Second, Audio: true}, 2*time.Second)[0]
	data, err := os.ReadFile(seg)
	if err != nil {
		t.Fatal(err)
	}
	status, _, body := harness.Push(t, n.gw.http+"/live/broke/0.ts", data, 2000)
	var e httpjson.ErrorBody
	if status != http.StatusServiceUnavailable || json.Unmarshal(body, &e) != nil || e.Error.Code != "gateway_unfunded" {
		t.Fatalf("push: %d %s", status, body)
	}
	if s := n.orchestratorStatus(0); len(s.Payments.Sessions) != 0 || s.winners() != 0 {
		t.Fatalf("the orchestrator saw work: %s", s.raw)
	}
	if jobs := metricLabeled(t, "http://"+n.orchs[0].admin+"/metrics", "castmesh_orchestrator_jobs_total", "ok"); jobs > 0 {
		t.Fatalf("%d jobs ran", jobs)
	}
}
