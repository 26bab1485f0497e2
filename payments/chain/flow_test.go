package chain

import (
	"crypto/ecdsa"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/params"

	"github.com/castmesh/castmesh/payments/broker"
	"github.com/castmesh/castmesh/test/harness"
)

// TestSameFlowOnBothChains runs one JSON-RPC-only flow against the
// embedded chain and against a real geth --dev node: the code path every
// castmesh role uses, so either chain (or a public network) works the same.
func TestSameFlowOnBothChains(t *testing.T) {
	tests := []struct {
		name  string
		start func(t *testing.T) (url string, funded *ecdsa.PrivateKey)
	}{
		{"embedded", func(t *testing.T) (string, *ecdsa.PrivateKey) {
			c, _ := startChain(t, testConfig(t.TempDir()))
			return c.URL(), DevKey(0)
		}},
		{"geth --dev", func(t *testing.T) (string, *ecdsa.PrivateKey) {
			begin := time.Now()
			g := harness.StartGeth(t)
			t.Logf("geth answered in %s", time.Since(begin).Round(time.Millisecond))
			return g.URL, g.Key
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			url, funded := tt.start(t)
			runFlow(t, url, funded)
		})
	}
}

// runFlow deploys the contracts, funds a fresh account from the funded
// key, has that account fund a TicketBroker deposit, reads both back and
// waits for the chain to move on by itself.
func runFlow(t *testing.T, url string, funded *ecdsa.PrivateKey) {
	t.Helper()
	cl := dial(t, url)
	ctx := ctxFor(t, 15*time.Second)
	if id, err := cl.ChainID(ctx); err != nil || id.Uint64() != chainID {
		t.Fatalf("chain id %v, %v; want %d", id, err, chainID)
	}
	begin := time.Now()
	addrs, err := broker.Deploy(ctx, cl, funded, broker.DeployConfig{UnlockPeriod: 20, TicketValidity: 10})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("contracts deployed in %s", time.Since(begin).Round(time.Millisecond))
	key := newKey(t)
	to := crypto.PubkeyToAddress(key.PublicKey)
	amount := new(big.Int).Mul(big.NewInt(3), big.NewInt(params.Ether))
	begin = time.Now()
	if err := Fund(ctx, cl, funded, to, amount); err != nil {
		t.Fatal(err)
	}
	t.Logf("funded in %s", time.Since(begin).Round(time.Millisecond))
	checkBalance(ctx, t, cl, to, amount)
	b, err := broker.New(cl, addrs, key)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.FundDeposit(ctx, big.NewInt(params.Ether)); err != nil {
		t.Fatal(err)
	}
	if si, err := b.SenderInfo(ctx, to); err != nil || si.Deposit.Cmp(big.NewInt(params.Ether)) != 0 {
		t.Fatalf("sender info %+v, %v; want a 1 ETH deposit", si, err)
	}
	if _, err := WaitBlocks(ctx, cl, 1); err != nil {
		t.Fatalf("chain does not seal while idle: %v", err)
	}
}
