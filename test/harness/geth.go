package harness

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/castmesh/castmesh/test/fixture"
)

// gethDevKey is go-ethereum's well-known developer key (cmd/utils.DeveloperKey),
// which geth --dev funds with 2^256−9 wei on a fresh data directory. It is
// public: dev chains only.
const gethDevKey = "b71c71a67e1177ad4e901695e1b4b9ee17ae16c6668d313eac2f96dbcda3f291"

// gethStartTimeout bounds the wait for geth's JSON-RPC to answer (about 1s
// on an idle machine).
const gethStartTimeout = 30 * time.Second

// Geth is a running `geth --dev` node on loopback.
type Geth struct {
	// URL is its HTTP JSON-RPC endpoint (eth, net, web3).
	URL string
	// Key is the funded dev account's key, the same key as chain.DevKey(0).
	Key *ecdsa.PrivateKey
	// Address is Key's address, 0x71562b71999873DB5b286dF957af199Ec94617F7.
	Address common.Address
	Proc    *Proc
}

// StartGeth runs .tools/bin/geth (built by .ci/setup, go-ethereum v1.17.8)
// in dev mode: chain id 1337, a block every second even when idle, HTTP
// JSON-RPC on a free loopback port, no IPC, no P2P, no NAT probing, and a
// fresh data directory. It returns once JSON-RPC answers; the node stops
// when the test ends. Without the binary the test skips, or fails under
// CI=true.
func StartGeth(t testing.TB) *Geth {
	t.Helper()
	bin := gethBinary(t)
	_, port, err := net.SplitHostPort(FreeAddrs(t, 1)[0])
	if err != nil {
		t.Fatal(err)
	}
	p := Start(t, "geth", bin,
		"--dev", "--dev.period", "1", "--nat", "none", "--ipcdisable",
		"--http", "--http.addr", "127.0.0.1", "--http.port", port, "--http.api", "eth,net,web3",
		"--datadir", t.TempDir())
	key, err := crypto.HexToECDSA(gethDevKey)
	if err != nil {
		t.Fatal(err)
	}
	g := &Geth{URL: "http://127.0.0.1:" + port, Key: key, Address: crypto.PubkeyToAddress(key.PublicKey), Proc: p}
	if err := waitRPC(t.Context(), g.URL, p); err != nil {
		t.Fatalf("geth: %v", err)
	}
	return g
}

// gethBinary finds .tools/bin/geth, which the setup script builds.
func gethBinary(t testing.TB) string {
	t.Helper()
	return fixture.RequireSetupFile(t, filepath.Join("bin", "geth"))
}

// waitRPC polls eth_chainId until it answers, the process exits or the
// start timeout passes.
func waitRPC(ctx context.Context, url string, p *Proc) error {
	ctx, cancel := context.WithTimeout(ctx, gethStartTimeout)
	defer cancel()
	cl, err := ethclient.DialContext(ctx, url)
	if err != nil {
		return err
	}
	defer cl.Close()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		_, err := cl.ChainID(ctx)
		if err == nil {
			return nil
		}
		select {
		case <-p.done:
			return fmt.Errorf("exited before JSON-RPC answered: %w", errors.Join(p.err, err))
		case <-ctx.Done():
			return fmt.Errorf("JSON-RPC did not answer within %s: %w", gethStartTimeout, err)
		case <-tick.C:
		}
	}
}
