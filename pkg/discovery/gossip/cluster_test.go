package gossip

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"
)

// startCluster starts n members joined through the first.
func startCluster(t *testing.T, n int, role string) []*member {
	t.Helper()
	seed := start(t, testConfig(), role)
	ms := []*member{seed}
	for range n - 1 {
		ms = append(ms, start(t, testConfig(seed.Addr()), role))
	}
	return ms
}

func want(ms []*member, version uint64) map[string]uint64 {
	w := map[string]uint64{}
	for _, m := range ms {
		w[m.Name()] = version
	}
	return w
}

func TestConvergeAndUpdate(t *testing.T) {
	ms := startCluster(t, 4, RoleGateway)
	for i, m := range ms {
		if err := m.SetState(map[string]int{"i": i}); err != nil {
			t.Fatal(err)
		}
	}
	eventually(t, convergeTimeout, func() error { return allSee(ms, want(ms, 1)) })

	for _, m := range ms {
		if got := testutil.ToFloat64(m.metrics.members); got != 4 {
			t.Errorf("%s: castmesh_gossip_members = %v, want 4", m.Name(), got)
		}
	}
	// Every member has every state, with the right content and role.
	for _, m := range ms {
		for _, g := range m.Members() {
			if g.Role != RoleGateway || !strings.HasPrefix(string(g.State), `{"i":`) || g.Addr == "" {
				t.Errorf("%s sees %+v", m.Name(), g)
			}
		}
	}

	if err := ms[2].SetState(map[string]string{"streams": "a,b"}); err != nil {
		t.Fatal(err)
	}
	w := want(ms, 1)
	w[ms[2].Name()] = 2
	eventually(t, convergeTimeout, func() error { return allSee(ms, w) })
	for _, m := range ms {
		for _, g := range m.Members() {
			if g.Name == ms[2].Name() && string(g.State) != `{"streams":"a,b"}` {
				t.Errorf("%s sees %s state %s", m.Name(), g.Name, g.State)
			}
		}
	}
}

func TestLeaveAndKill(t *testing.T) {
	ms := startCluster(t, 4, RoleOrchestrator)
	for _, m := range ms {
		if err := m.SetState(nodeState(m.Addr(), 1)); err != nil {
			t.Fatal(err)
		}
	}
	eventually(t, convergeTimeout, func() error { return allSee(ms, want(ms, 1)) })

	// A member that leaves tells the others.
	ms[3].stop(t)
	ms = ms[:3]
	eventually(t, convergeTimeout, func() error { return allSee(ms, want(ms, 1)) })

	// A member that dies is found by probing.
	ms[2].kill(t)
	ms = ms[:2]
	eventually(t, convergeTimeout, func() error { return allSee(ms, want(ms, 1)) })
	for _, m := range ms {
		if nodes, _ := m.Nodes(context.Background()); len(nodes) != 2 {
			t.Errorf("%s: %d nodes, want 2", m.Name(), len(nodes))
		}
	}
}

func TestNodes(t *testing.T) {
	seed := start(t, testConfig(), RoleGateway)
	good := start(t, testConfig(seed.Addr()), RoleOrchestrator)
	noAddr := start(t, testConfig(seed.Addr()), RoleOrchestrator)
	notJSONNode := start(t, testConfig(seed.Addr()), RoleOrchestrator)
	silent := start(t, testConfig(seed.Addr()), RoleOrchestrator)
	gatewayAsNode := start(t, testConfig(seed.Addr()), RoleGateway)
	ms := []*member{seed, good, noAddr, notJSONNode, silent, gatewayAsNode}

	for m, v := range map[*member]any{
		seed:          map[string]any{"streams": []string{"x"}},
		good:          nodeState("10.0.0.1:8935", 4),
		noAddr:        map[string]any{"advert": map[string]any{"capacity": 1}},
		notJSONNode:   []int{1, 2},
		gatewayAsNode: nodeState("10.0.0.9:8935", 4),
	} {
		if err := m.SetState(v); err != nil {
			t.Fatal(err)
		}
	}
	w := want(ms, 1)
	w[silent.Name()] = 0
	eventually(t, convergeTimeout, func() error { return allSee(ms, w) })

	for _, m := range ms {
		nodes, err := m.Nodes(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(nodes) != 1 || nodes[0].Addr != "10.0.0.1:8935" || nodes[0].Advert == nil || nodes[0].Advert.Capacity != 4 {
			t.Errorf("%s: Nodes = %+v", m.Name(), nodes)
		}
	}
}

func TestJoinBeforeSeed(t *testing.T) {
	seedAddr := freeAddr(t)
	early := start(t, testConfig(seedAddr), RoleOrchestrator)
	if err := early.SetState(nodeState("10.0.0.2:1", 1)); err != nil {
		t.Fatal(err)
	}
	// Let Run fail at least once, without sleeping: its first attempt is
	// made before Run's loop starts, so one retry period is enough for a
	// second.
	eventually(t, convergeTimeout, func() error {
		if got := early.ml.NumMembers(); got != 1 {
			return fmt.Errorf("%d members before the seed exists", got)
		}
		return nil
	})
	cfg := testConfig()
	cfg.BindAddr = seedAddr
	seed := start(t, cfg, RoleGateway)
	ms := []*member{seed, early}
	w := want(ms, 0)
	w[early.Name()] = 1
	eventually(t, convergeTimeout, func() error { return allSee(ms, w) })
}

func TestSecret(t *testing.T) {
	secret := func(s string) Config {
		cfg := testConfig()
		cfg.Secret = s
		return cfg
	}
	a := start(t, secret("correct horse battery staple"), RoleGateway)
	sameCfg := secret("correct horse battery staple")
	sameCfg.Join = []string{a.Addr()}
	same := start(t, sameCfg, RoleGateway)
	other := start(t, secret("another sixteen-character secret"), RoleGateway)
	plain := start(t, testConfig(), RoleGateway)

	for name, m := range map[string]*member{"other secret": other, "no secret": plain} {
		if n, err := m.ml.Join([]string{a.Addr()}); n != 0 || err == nil {
			t.Errorf("%s: joined %d, err %v; want a refusal", name, n, err)
		}
	}
	// The other way round too: the encrypted member cannot join the
	// plain one.
	if n, err := a.ml.Join([]string{plain.Addr()}); n != 0 || err == nil {
		t.Errorf("secret into plain: joined %d, err %v; want a refusal", n, err)
	}
	if err := same.SetState("hello"); err != nil {
		t.Fatal(err)
	}
	ms := []*member{a, same}
	w := want(ms, 0)
	w[same.Name()] = 1
	eventually(t, convergeTimeout, func() error { return allSee(ms, w) })
	for _, m := range []*member{other, plain} {
		if err := sees(m, want([]*member{m}, 0)); err != nil {
			t.Error(err)
		}
	}
}

func TestLargeStateAndLateJoiner(t *testing.T) {
	ms := startCluster(t, 3, RoleGateway)
	big := map[string]string{"streams": strings.Repeat("s", 20<<10)}
	if err := ms[1].SetState(big); err != nil {
		t.Fatal(err)
	}
	if err := ms[2].SetState("small"); err != nil {
		t.Fatal(err)
	}
	w := want(ms, 1)
	w[ms[0].Name()] = 0
	eventually(t, convergeTimeout, func() error { return allSee(ms, w) })

	// A member that joins now learns every state in its join's push/pull.
	late := start(t, testConfig(ms[0].Addr()), RoleGateway)
	ms = append(ms, late)
	w[late.Name()] = 0
	eventually(t, convergeTimeout, func() error { return allSee(ms, w) })
	for _, g := range late.Members() {
		if g.Name == ms[1].Name() && len(g.State) < 20<<10 {
			t.Errorf("late joiner has %d bytes of the large state", len(g.State))
		}
	}
}

func TestRestartSupersedes(t *testing.T) {
	seed := start(t, testConfig(), RoleGateway)
	cfg := testConfig(seed.Addr())
	cfg.Name = "restarting"
	first := start(t, cfg, RoleGateway)
	for i := range 3 {
		if err := first.SetState(i); err != nil {
			t.Fatal(err)
		}
	}
	eventually(t, convergeTimeout, func() error {
		return allSee([]*member{seed, first}, map[string]uint64{seed.Name(): 0, "restarting": 3})
	})
	first.stop(t)
	eventually(t, convergeTimeout, func() error { return sees(seed, map[string]uint64{seed.Name(): 0}) })

	second := start(t, cfg, RoleGateway)
	if err := second.SetState("again"); err != nil {
		t.Fatal(err)
	}
	eventually(t, convergeTimeout, func() error {
		for _, g := range seed.Members() {
			if g.Name == "restarting" && string(g.State) == `"again"` && g.Version == 1 {
				return nil
			}
		}
		return fmt.Errorf("seed sees %+v", seed.Members())
	})
}

func TestSetStateErrors(t *testing.T) {
	m := start(t, testConfig(), RoleGateway)
	if err := m.SetState(strings.Repeat("x", MaxStateSize)); !errors.Is(err, ErrStateTooLarge) {
		t.Errorf("large state: %v, want ErrStateTooLarge", err)
	}
	if err := m.SetState(func() {}); err == nil {
		t.Error("unmarshalable state accepted")
	}
	if err := m.SetState(json.RawMessage(`{"ok":true}`)); err != nil {
		t.Error(err)
	}
}

func TestRunTwice(t *testing.T) {
	c, err := New(testConfig(), RoleGateway, nil, testLogger(), nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := c.Run(ctx); err != nil {
		t.Errorf("Run: %v", err)
	}
	if err := c.Run(ctx); !errors.Is(err, ErrRunTwice) {
		t.Errorf("second Run: %v, want ErrRunTwice", err)
	}
}

func TestNewRejects(t *testing.T) {
	for _, role := range []string{"", strings.Repeat("r", 65), "\xff"} {
		if _, err := New(testConfig(), role, nil, testLogger(), nil); !errors.Is(err, ErrInvalidRole) {
			t.Errorf("role %q: %v, want ErrInvalidRole", role, err)
		}
	}
	cfg := testConfig()
	cfg.Profile = "wan"
	var ce *ConfigError
	if _, err := New(cfg, RoleGateway, nil, testLogger(), nil); !errors.As(err, &ce) || ce.Key != "gossip.profile" {
		t.Errorf("bad profile: %v", err)
	}
	m := start(t, testConfig(), RoleGateway)
	cfg = testConfig()
	cfg.BindAddr = m.Addr()
	if _, err := New(cfg, RoleGateway, nil, testLogger(), nil); err == nil {
		t.Error("bound a taken port")
	}
}

func TestRepairJoinsStranger(t *testing.T) {
	a := start(t, testConfig(), RoleGateway)
	b := start(t, testConfig(), RoleGateway)
	if err := a.SetState("a"); err != nil {
		t.Fatal(err)
	}
	// Neither has seeds; a direct message from a stranger is what makes
	// b sync with a.
	b.d.NotifyMsg(encodeHello(a.ml.LocalNode().Address(), a.Name()))
	ms := []*member{a, b}
	w := want(ms, 0)
	w[a.Name()] = 1
	eventually(t, convergeTimeout, func() error { return allSee(ms, w) })
}
