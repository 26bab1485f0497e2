package gossip

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"
	"github.com/prometheus/client_golang/prometheus"
)

// convergeTimeout is generous: the CI machine has two cores and runs
// other tests beside these, with -race. Polls end as soon as things are
// right, so a healthy run is fast.
const convergeTimeout = 30 * time.Second

// testConfig is a member on loopback with fast timings.
func testConfig(join ...string) Config {
	cfg := DefaultConfig()
	cfg.BindAddr = "127.0.0.1:0"
	cfg.Profile = ProfileLocal
	cfg.JoinRetry = 100 * time.Millisecond
	cfg.Join = join
	return cfg
}

func testLogger() *slog.Logger {
	if os.Getenv("CASTMESH_TEST_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.DiscardHandler)
}

// member is a running Cluster and the means to end its Run.
type member struct {
	*Cluster
	reg    *prometheus.Registry
	cancel context.CancelFunc
	done   chan error
	once   sync.Once
}

// start makes a member and runs it until the test ends (or stopped).
func start(t testing.TB, cfg Config, role string) *member {
	t.Helper()
	reg := prometheus.NewRegistry()
	c, err := New(cfg, role, nil, testLogger(), NewMetrics(reg))
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	m := &member{Cluster: c, reg: reg, cancel: cancel, done: make(chan error, 1)}
	go func() { m.done <- c.Run(ctx) }()
	t.Cleanup(func() { m.stop(t) })
	return m
}

// stop ends Run (leaving the cluster) and waits for it; a second call is
// a no-op.
func (m *member) stop(t testing.TB) {
	t.Helper()
	m.once.Do(func() {
		m.cancel()
		select {
		case err := <-m.done:
			if err != nil {
				t.Errorf("Run of %s: %v", m.Name(), err)
			}
		case <-time.After(convergeTimeout):
			t.Errorf("Run of %s did not return", m.Name())
		}
	})
}

// kill shuts memberlist down without leaving, as a crash would, then
// lets Run end.
func (m *member) kill(t testing.TB) {
	t.Helper()
	if err := m.Cluster.stop(false); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	m.stop(t)
}

// eventually polls cond until it returns nil, failing the test with its
// last error after timeout.
func eventually(t testing.TB, timeout time.Duration, cond func() error) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		err := cond()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %s: %v", timeout, err)
		}
		<-tick.C
	}
}

// sees checks that m knows exactly the named members, each with at
// least version min of its state (0: any, or none).
func sees(m *member, want map[string]uint64) error {
	got := m.Members()
	if len(got) != len(want) {
		names := make([]string, len(got))
		for i, g := range got {
			names[i] = g.Name
		}
		return fmt.Errorf("%s sees %d members %v, want %d", m.Name(), len(got), names, len(want))
	}
	for _, g := range got {
		v, ok := want[g.Name]
		switch {
		case !ok:
			return fmt.Errorf("%s sees unexpected member %s", m.Name(), g.Name)
		case g.Version < v:
			return fmt.Errorf("%s sees %s at version %d, want %d", m.Name(), g.Name, g.Version, v)
		}
	}
	return nil
}

// allSee checks sees for every member.
func allSee(ms []*member, want map[string]uint64) error {
	var errs []error
	for _, m := range ms {
		if err := sees(m, want); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// published counts the alive members whose state t knows, and the alive
// members.
func (t *table) published() (withState, alive int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for name := range t.peers {
		if _, ok := t.states[name]; ok {
			withState++
		}
	}
	return withState, len(t.peers)
}

// freeAddr returns a loopback host:port nothing listens on (TCP or UDP)
// right now.
func freeAddr(t testing.TB) string {
	t.Helper()
	for range 10 {
		var lc net.ListenConfig
		ln, err := lc.Listen(context.Background(), "tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		_ = ln.Close()
		pc, err := lc.ListenPacket(context.Background(), "udp", addr)
		if err != nil {
			continue
		}
		_ = pc.Close()
		return addr
	}
	t.Fatal("no free port")
	return ""
}

// nodeState is an orchestrator's state.
func nodeState(addr string, capacity int) any {
	return map[string]any{"addr": addr, "advert": map[string]any{"capacity": capacity, "codecs": []string{"h264"}}}
}

// testKey is a fresh signing key.
func testKey(t testing.TB) *ecdsa.PrivateKey {
	t.Helper()
	k, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}
