package discovery

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

// flaky is a source whose answer the test sets; asked counts the calls.
type flaky struct {
	mu    sync.Mutex
	nodes []Node
	err   error
	asked chan struct{}
}

func (f *flaky) Nodes(context.Context) ([]Node, error) {
	f.mu.Lock()
	nodes, err := append([]Node(nil), f.nodes...), f.err
	f.mu.Unlock()
	f.asked <- struct{}{}
	return nodes, err
}

func (f *flaky) set(nodes []Node, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.nodes, f.err = nodes, err
}

func TestCache(t *testing.T) {
	src := &flaky{nodes: []Node{{Addr: "b:1"}, {Addr: "a:1"}}, asked: make(chan struct{})}
	m := NewMetrics(prometheus.NewRegistry())
	// An interval far longer than the test: refreshes happen when asked.
	c := NewCache(src, CacheConfig{Interval: time.Hour, Timeout: time.Second}, slog.New(slog.DiscardHandler), m)
	if len(c.Nodes()) != 0 {
		t.Fatal("nodes before the first refresh")
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error)
	go func() { done <- c.Run(ctx) }()
	<-src.asked
	<-c.Ready()
	if got := c.Nodes(); len(got) != 2 || got[0].Addr != "a:1" || got[1].Addr != "b:1" {
		t.Fatalf("nodes %v, want both sorted by address", got)
	}
	// A failing source keeps the last answer.
	src.set(nil, errors.New("registry down"))
	c.Refresh()
	<-src.asked
	src.set([]Node{{Addr: "c:1"}}, nil)
	c.Refresh()
	<-src.asked
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got := c.Nodes(); len(got) != 1 || got[0].Addr != "c:1" {
		t.Fatalf("nodes %v after a failure and a fresh answer", got)
	}
	if ok, failed := testutil.ToFloat64(m.refreshes.WithLabelValues("ok")), testutil.ToFloat64(m.refreshes.WithLabelValues("failed")); ok != 2 || failed != 1 {
		t.Errorf("refreshes ok %v failed %v", ok, failed)
	}
}

func TestCacheKeepsLastAnswerOnFailure(t *testing.T) {
	src := &flaky{nodes: []Node{{Addr: "a:1"}}, asked: make(chan struct{}, 10)}
	c := NewCache(src, DefaultCacheConfig(), slog.New(slog.DiscardHandler), NewMetrics(prometheus.NewRegistry()))
	c.refresh(t.Context())
	src.set(nil, errors.New("down"))
	c.refresh(t.Context())
	if got := c.Nodes(); len(got) != 1 {
		t.Fatalf("a failed refresh emptied the cache: %v", got)
	}
}

func TestStatic(t *testing.T) {
	s := Static{{Addr: "a:1"}}
	got, err := s.Nodes(t.Context())
	if err != nil || len(got) != 1 {
		t.Fatal(got, err)
	}
	got[0].Addr = "changed"
	if s[0].Addr != "a:1" {
		t.Error("Nodes handed out the list itself")
	}
}

func TestCacheConfigValidate(t *testing.T) {
	if err := DefaultCacheConfig().Validate(); err != nil {
		t.Fatal(err)
	}
	if err := (CacheConfig{Interval: time.Millisecond, Timeout: time.Second}).Validate(); err == nil {
		t.Error("a 1ms interval was accepted")
	}
}

func TestUnion(t *testing.T) {
	down := &flaky{err: errors.New("down"), asked: make(chan struct{}, 2)}
	u := Union{Static{{Addr: "a:1", Fingerprint: "first"}}, down, Static{{Addr: "a:1", Fingerprint: "second"}, {Addr: "b:1"}}}
	got, err := u.Nodes(t.Context())
	if err != nil || len(got) != 2 || got[0].Fingerprint != "first" || got[1].Addr != "b:1" {
		t.Fatalf("union %v, %v", got, err)
	}
	if _, err := (Union{down}).Nodes(t.Context()); err == nil {
		t.Error("a union of failed sources did not fail")
	}
}

func TestReconcile(t *testing.T) {
	have := map[string]string{"a:1": "conn-a", "gone:1": "conn-gone"}
	var dropped, failed []string
	Reconcile(have, []Node{{Addr: "a:1"}, {Addr: "b:1"}, {Addr: "bad:1"}},
		func(n Node) (string, error) {
			if n.Addr == "bad:1" {
				return "", errors.New("cannot dial")
			}
			return "conn-" + n.Addr, nil
		},
		func(e string) { dropped = append(dropped, e) },
		func(n Node, _ error) { failed = append(failed, n.Addr) })
	if len(have) != 2 || have["a:1"] != "conn-a" || have["b:1"] != "conn-b:1" {
		t.Errorf("entries %v: want a kept as it was and b made", have)
	}
	if len(dropped) != 1 || dropped[0] != "conn-gone" || len(failed) != 1 || failed[0] != "bad:1" {
		t.Errorf("dropped %v failed %v", dropped, failed)
	}
}
