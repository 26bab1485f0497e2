package attack

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/castmesh/castmesh/gateway/peers"
	"github.com/castmesh/castmesh/gateway/streams"
	"github.com/castmesh/castmesh/pkg/discovery"
	"github.com/castmesh/castmesh/pkg/discovery/gossip"
)

// gossipMember starts a gossip member on loopback that runs until the
// test ends.
func gossipMember(t *testing.T, name, role string, reg prometheus.Registerer, join ...string) *gossip.Cluster {
	t.Helper()
	cfg := gossip.DefaultConfig()
	cfg.BindAddr, cfg.Profile, cfg.JoinRetry, cfg.Name, cfg.Join = "127.0.0.1:0", gossip.ProfileLocal, 100*time.Millisecond, name, join
	c, err := gossip.New(cfg, role, nil, slog.New(slog.DiscardHandler), gossip.NewMetrics(reg))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- c.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run of %s: %v", name, err)
		}
	})
	return c
}

// within polls cond until it is nil or the deadline passes.
func within(t *testing.T, d time.Duration, what string, cond func() error) {
	t.Helper()
	deadline := time.Now().Add(d)
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		err := cond()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s after %s: %v", what, d, err)
		}
		<-tick.C
	}
}

// orchAt checks the observer's view of the orchestrator.
func orchAt(c *gossip.Cluster, addr, signer string) error {
	nodes, _ := c.Nodes(context.Background())
	if len(nodes) != 1 || nodes[0].Addr != addr || nodes[0].Signer != signer {
		return fmt.Errorf("orchestrators %+v, want one at %s signed by %s", nodes, addr, signer)
	}
	return nil
}

// TestForgedGossipRefused plays a hostile member of a real memberlist
// cluster on loopback: it speaks for an orchestrator it is not (its
// address, a state pinned ahead, a replayed stale state) and gossips its
// own gateway record pointing the HLS proxy at the cloud metadata service
// and an external host. The observer gateway refuses all of it and keeps
// the honest members' records.
func TestForgedGossipRefused(t *testing.T) {
	reg := prometheus.NewRegistry()
	observer := gossipMember(t, "observer", gossip.RoleGateway, reg)
	orch := gossipMember(t, "orch", gossip.RoleOrchestrator, prometheus.NewRegistry(), observer.Addr())
	honestGW := gossipMember(t, "gw-honest", gossip.RoleGateway, prometheus.NewRegistry(), observer.Addr())
	mallory := newAttacker(t, observer.Addr())

	owner := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("#EXTM3U\n")) }))
	defer owner.Close()
	if err := orch.SetState(discovery.Node{Addr: "127.0.0.1:8936"}); err != nil {
		t.Fatal(err)
	}
	if err := honestGW.SetState(peers.State{HTTP: owner.URL, Streams: []streams.Info{{PlaybackID: "honest"}}}); err != nil {
		t.Fatal(err)
	}
	signer := orch.Signer().Hex()
	within(t, 20*time.Second, "the honest orchestrator to be seen", func() error { return orchAt(observer, "127.0.0.1:8936", signer) })
	within(t, 20*time.Second, "the attacker to hear the orchestrator", func() error {
		if mallory.heard("orch") == nil {
			return fmt.Errorf("nothing heard")
		}
		return nil
	})
	stale := mallory.heard("orch")
	if err := orch.SetState(discovery.Node{Addr: "127.0.0.1:8937"}); err != nil {
		t.Fatal(err)
	}
	within(t, 20*time.Second, "the orchestrator's update", func() error { return orchAt(observer, "127.0.0.1:8937", signer) })

	now := uint64(time.Now().UnixNano()) //nolint:gosec // after 1970
	evil := `{"addr":"127.0.0.1:6666"}`
	attacks := []struct {
		name string
		msg  []byte
	}{
		{"another's record under the attacker's key", append([]byte{wireRecord},
			body(t, forgedRecord{"orch", now, 1 << 40, evil}, mallory.key, mallory.signer)...)},
		{"another's record claiming its signer", append([]byte{wireRecord},
			body(t, forgedRecord{"orch", now, 1 << 40, evil}, mallory.key, orch.Signer())...)},
		{"pinned ahead", append([]byte{wireRecord},
			body(t, forgedRecord{"orch", now + uint64(50*time.Second), ^uint64(0), evil}, mallory.key, mallory.signer)...)},
		{"replayed stale version", append([]byte{wireRecord}, stale...)},
	}
	for _, a := range attacks {
		mallory.send(t, "observer", a.msg)
	}
	// Its own record, honestly signed, pointing players at metadata and
	// at an external host.
	own := func(version uint64, base, id string) []byte {
		st := fmt.Sprintf(`{"http":%q,"streams":[{"playback_id":%q}]}`, base, id)
		return append([]byte{wireRecord}, body(t, forgedRecord{"mallory", now, version, st}, mallory.key, mallory.signer)...)
	}
	mallory.send(t, "observer", own(1, "http://169.254.169.254", "metadata"))
	mallory.send(t, "observer", own(2, "http://[::ffff:169.254.169.254]", "mapped"))

	within(t, 20*time.Second, "the forgeries to be counted", func() error {
		if n := refused(t, reg, "forged"); n < 3 {
			return fmt.Errorf("refused{forged} = %v, want at least 3", n)
		}
		return nil
	})
	if err := orchAt(observer, "127.0.0.1:8937", signer); err != nil {
		t.Fatalf("after the forgeries: %v", err)
	}
	// The attacker's state itself was taken (it is honestly its own): the
	// HLS proxy must refuse where it points.
	within(t, 20*time.Second, "the attacker's own record to arrive", func() error {
		for _, m := range observer.Members() {
			if m.Name == "mallory" && strings.Contains(string(m.State), "mapped") {
				return nil
			}
		}
		return fmt.Errorf("members %+v", observer.Members())
	})
	p := peers.New(observer, func() string { return "http://127.0.0.1:1" }, func() []streams.Info { return nil },
		peers.PolicyFor(observer.Addr()), slog.New(slog.DiscardHandler))
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("peers Run: %v", err)
		}
	}()
	within(t, 10*time.Second, "the honest gateway's stream", func() error {
		if o, ok := p.Owner("honest"); !ok || o != owner.URL {
			return fmt.Errorf("owner %q %v", o, ok)
		}
		return nil
	})
	for _, id := range []string{"metadata", "mapped"} {
		if o, ok := p.Owner(id); ok {
			t.Errorf("HLS for %s would be proxied to %s", id, o)
		}
	}
	// An external owner is refused on a loopback cluster too.
	mallory.send(t, "observer", own(3, "http://203.0.113.50", "external"))
	within(t, 10*time.Second, "the external record to arrive", func() error {
		for _, m := range observer.Members() {
			if m.Name == "mallory" && strings.Contains(string(m.State), "external") {
				return nil
			}
		}
		return fmt.Errorf("not yet")
	})
	// The refusal is an absence: wait for a refresh that read the
	// cluster after the external record arrived (the honest gateway's new
	// stream), then look.
	if err := honestGW.SetState(peers.State{HTTP: owner.URL, Streams: []streams.Info{{PlaybackID: "honest"}, {PlaybackID: "later"}}}); err != nil {
		t.Fatal(err)
	}
	within(t, 10*time.Second, "a peers refresh after the external record", func() error {
		if _, ok := p.Owner("later"); !ok {
			return fmt.Errorf("not yet")
		}
		return nil
	})
	if o, ok := p.Owner("external"); ok {
		t.Errorf("HLS proxied to the external %s on a loopback cluster", o)
	}
}

// refused reads the observer's refused-records counter for reason.
func refused(t *testing.T, reg *prometheus.Registry, reason string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != "castmesh_gossip_records_refused_total" {
			continue
		}
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "reason" && l.GetValue() == reason {
					return m.GetCounter().GetValue()
				}
			}
		}
	}
	return 0
}
