package gateway

import (
	"context"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/castmesh/castmesh/pkg/discovery"
)

type fakeRegistry map[common.Address]string

func (f fakeRegistry) Services(context.Context, uint64) (map[common.Address]string, error) {
	return f, nil
}

// Issue #12 finding 7: where discovery is on chain, a gossiped
// orchestrator's record signer is checked against the chain registry.
func TestGossipSignerCheckedOnChain(t *testing.T) {
	registered, stranger, mover := common.Address{1}, common.Address{2}, common.Address{3}
	gossiped := discovery.Static{
		{Addr: "10.0.0.1:8936", Signer: registered.Hex()},
		{Addr: "10.0.0.2:8936", Signer: stranger.Hex()}, // not registered
		{Addr: "10.0.0.9:8936", Signer: mover.Hex()},    // registered elsewhere
		{Addr: "10.0.0.3:8936"},                         // unsigned
	}
	r := registeredGossip{gossip: gossiped, chain: fakeRegistry{
		registered: "https://10.0.0.1:8936", mover: "10.0.0.4:8936",
	}}
	got, err := r.Nodes(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Addr != "10.0.0.1:8936" {
		t.Fatalf("kept %+v, want only the registered orchestrator at its registered address", got)
	}
}
