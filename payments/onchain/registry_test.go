package onchain

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/ethereum/go-ethereum/common"
)

type fakeServices struct {
	uris map[common.Address]string
	err  error
}

func (f fakeServices) Services(context.Context, uint64) (map[common.Address]string, error) {
	return f.uris, f.err
}

func TestRegistryNodes(t *testing.T) {
	var skipped []string
	r := NewRegistry(fakeServices{uris: map[common.Address]string{
		{1}: "orch-a.example:8935",
		{2}: "https://orch-b.example:9000/",
		{3}: "not a uri",
		{4}: "https://no-port.example",
	}}, 0, func(_ common.Address, uri string, _ error) { skipped = append(skipped, uri) })
	nodes, err := r.Nodes(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var addrs []string
	for _, n := range nodes {
		addrs = append(addrs, n.Addr)
	}
	slices.Sort(addrs)
	slices.Sort(skipped)
	if !slices.Equal(addrs, []string{"orch-a.example:8935", "orch-b.example:9000"}) || len(skipped) != 2 {
		t.Fatalf("nodes %v, skipped %v", addrs, skipped)
	}
	down := NewRegistry(fakeServices{err: errors.New("rpc down")}, 0, nil)
	if _, err := down.Nodes(t.Context()); err == nil {
		t.Error("a chain error was swallowed")
	}
}

func FuzzServiceAddr(f *testing.F) {
	for _, s := range []string{"a:1", "https://b:2/x", "[::1]:3", "", "://", "http://[::1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, uri string) {
		hostport, err := ServiceAddr(uri)
		if err == nil && hostport == "" {
			t.Fatalf("%q: empty address without an error", uri)
		}
	})
}
