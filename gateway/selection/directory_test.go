package selection

import (
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/castmesh/castmesh/pkg/discovery"
)

// dirTest is a selector over fakes whose discovery answer the test sets.
func dirTest(t *testing.T, cfg Config, nodes []discovery.Node, orchs ...*fakeOrch) *Selector {
	t.Helper()
	cands := make([]orchestrator, len(orchs))
	for i, o := range orchs {
		cands[i] = o
	}
	_, dial := fakeNet(cands)
	return newSelector(cfg, "gw", Payments{}, func() []discovery.Node { return nodes }, dial,
		slog.New(slog.DiscardHandler), NewMetrics(prometheus.NewRegistry()))
}

func addrs(vs []view) map[string]bool {
	out := map[string]bool{}
	for _, v := range vs {
		out[v.e.o.Addr()] = true
	}
	return out
}

// Issue #12 finding 7: a gossip record names the orchestrator's address;
// a member could gossip another's address as its own. The directory now
// uses an orchestrator only if it signs as the key that vouched for it.
func TestGossipSignerMismatchRefused(t *testing.T) {
	honest, other := common.Address{0xaa}, common.Address{0xbb}
	good, stolen, unsigned := idle("good"), idle("stolen"), idle("static")
	good.signer, stolen.signer = honest, honest
	nodes := []discovery.Node{
		{Addr: "good", Signer: honest.Hex()},
		{Addr: "stolen", Signer: other.Hex()}, // gossiped by other, answers as honest
		{Addr: "static"},                      // a static entry vouches for no signer
		{Addr: "bad", Signer: "not-an-address"},
	}
	s := dirTest(t, logicConfig(), nodes, good, stolen, unsigned)
	s.Refresh(t.Context())
	got := addrs(s.dir.snapshot())
	if !got["good"] || !got["static"] || got["stolen"] || len(got) != 2 {
		t.Fatalf("usable orchestrators %v, want good and static only", got)
	}
}

// Issue #12 finding 13: GetInfo answers were cached for every node
// discovery listed, for ever. Now the directory keeps at most
// max_orchestrators and uses no terms older than info_max_age.
func TestInfoCacheBounded(t *testing.T) {
	var orchs []*fakeOrch
	var nodes []discovery.Node
	for i := range 10 {
		o := idle(fmt.Sprintf("o%02d", i))
		orchs = append(orchs, o)
		nodes = append(nodes, discovery.Node{Addr: o.addr})
	}
	cfg := logicConfig()
	cfg.MaxOrchestrators = 3
	s := dirTest(t, cfg, nodes, orchs...)
	now := time.Now()
	s.dir.now = func() time.Time { return now }
	s.Refresh(t.Context())
	if n := len(s.dir.entries); n != 3 {
		t.Fatalf("%d entries, want max_orchestrators = 3", n)
	}
	asked := 0
	for _, o := range orchs {
		asked += int(o.infos.Load())
	}
	if asked != 3 {
		t.Errorf("asked %d orchestrators, want 3", asked)
	}
	if n := len(s.dir.snapshot()); n != 3 {
		t.Fatalf("%d fresh entries", n)
	}
	now = now.Add(cfg.InfoMaxAge + time.Second)
	if n := len(s.dir.snapshot()); n != 0 {
		t.Fatalf("%d entries with terms older than info_max_age in use", n)
	}
}
