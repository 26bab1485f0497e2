package chain

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"log/slog"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/node"
	"github.com/ethereum/go-ethereum/params"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m,
		// go-ethereum's process-wide sender cache: NumCPU workers started
		// once, on first use, never stopped.
		goleak.IgnoreTopFunction("github.com/ethereum/go-ethereum/core.(*txSenderCacher).cache"),
		// The p2p server's in-memory node database (goleveldb) drains its
		// pool for up to 1s after Close, longer than goleak retries. An
		// unclosed node would still show its pebble, txpool and RPC
		// goroutines.
		goleak.IgnoreTopFunction("github.com/syndtr/goleveldb/leveldb.(*DB).mpoolDrain"))
}

// testConfig is a fast chain in dir on a free port.
func testConfig(dir string) Config {
	c := DefaultConfig()
	c.DataDir, c.HTTPAddr, c.BlockPeriod = dir, "127.0.0.1:0", 100*time.Millisecond
	c.Accounts, c.UnlockPeriod, c.TicketValidity = 3, 20, 10
	return c
}

// startChain opens a chain and runs it; stop ends Run and checks it
// returned nil. stop also runs at cleanup, once.
func startChain(t *testing.T, cfg Config) (c *Chain, stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	begin := time.Now()
	c, err := New(ctx, cfg, slog.New(slog.NewTextHandler(t.Output(), nil)))
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Logf("New took %s", time.Since(begin).Round(time.Millisecond))
	done := make(chan error, 1)
	go func() { done <- c.Run(ctx) }()
	stopped := false
	stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		begin := time.Now()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
		t.Logf("shutdown took %s", time.Since(begin).Round(time.Millisecond))
	}
	t.Cleanup(stop)
	return c, stop
}

func dial(t *testing.T, url string) *ethclient.Client {
	t.Helper()
	cl, err := ethclient.DialContext(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cl.Close)
	return cl
}

func ctxFor(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), d)
	t.Cleanup(cancel)
	return ctx
}

// TestChainLifecycle starts a chain, checks it seals while idle and takes
// a transfer over HTTP, then restarts it on the same directory and checks
// it resumed: same head or later, same balances, same contracts, no
// second deploy.
func TestChainLifecycle(t *testing.T) {
	cfg := testConfig(t.TempDir())
	c, stop := startChain(t, cfg)
	info := c.Info()
	checkInfo(t, c, info)
	cl := dial(t, c.URL())
	ctx := ctxFor(t, 20*time.Second)

	begin := time.Now()
	if _, err := WaitBlocks(ctx, cl, 5); err != nil {
		t.Fatalf("idle chain did not advance: %v", err)
	}
	t.Logf("5 idle blocks in %s", time.Since(begin).Round(time.Millisecond))

	to := crypto.PubkeyToAddress(newKey(t).PublicKey)
	amount := big.NewInt(params.Ether)
	begin = time.Now()
	if err := Fund(ctx, cl, DevKey(1), to, amount); err != nil {
		t.Fatal(err)
	}
	t.Logf("transfer mined in %s", time.Since(begin).Round(time.Millisecond))
	checkBalance(ctx, t, cl, to, amount)
	for _, a := range info.Accounts[2:] {
		checkBalance(ctx, t, cl, a, DevBalance())
	}
	head, err := cl.BlockNumber(ctx)
	if err != nil {
		t.Fatal(err)
	}
	deployerNonce, err := cl.NonceAt(ctx, DevAddress(0), nil)
	if err != nil {
		t.Fatal(err)
	}
	stop()

	c2, _ := startChain(t, cfg)
	cl2 := dial(t, c2.URL())
	if got, err := cl2.BlockNumber(ctx); err != nil || got < head {
		t.Fatalf("after restart head = %d (%v), want ≥ %d", got, err, head)
	}
	checkBalance(ctx, t, cl2, to, amount)
	info2 := c2.Info()
	if info2.TicketBroker != info.TicketBroker || info2.ServiceRegistry != info.ServiceRegistry {
		t.Fatalf("contracts moved on restart: %+v then %+v", info, info2)
	}
	if n, err := cl2.NonceAt(ctx, DevAddress(0), nil); err != nil || n != deployerNonce {
		t.Fatalf("deployer nonce %d (%v) after restart, want %d: contracts deployed again?", n, err, deployerNonce)
	}
	if _, err := WaitBlocks(ctx, cl2, 2); err != nil {
		t.Fatalf("restarted chain does not seal: %v", err)
	}
	if stored, ok, err := readInfo(cfg.DataDir); err != nil || !ok || stored.RPCURL != c2.URL() {
		t.Fatalf("chain.json = %+v, %v, %v; want this run's URL %s", stored, ok, err, c2.URL())
	}
}

// checkInfo checks what Info and chain.json say against the chain itself.
func checkInfo(t *testing.T, c *Chain, info Info) {
	t.Helper()
	if info.ChainID != 1337 || info.RPCURL != c.URL() || len(info.Accounts) != 3 || info.Accounts[2] != DevAddress(2) {
		t.Fatalf("info = %+v", info)
	}
	cl := dial(t, c.URL())
	ctx := ctxFor(t, 5*time.Second)
	if id, err := cl.ChainID(ctx); err != nil || id.Uint64() != info.ChainID {
		t.Fatalf("eth_chainId = %v, %v", id, err)
	}
	for _, a := range []common.Address{info.TicketBroker, info.ServiceRegistry} {
		if code, err := cl.CodeAt(ctx, a, nil); err != nil || len(code) == 0 {
			t.Fatalf("no code at %s: %v", a, err)
		}
	}
	stored, ok, err := readInfo(c.cfg.DataDir)
	if err != nil || !ok || stored.TicketBroker != info.TicketBroker {
		t.Fatalf("chain.json = %+v, %v, %v", stored, ok, err)
	}
}

func checkBalance(ctx context.Context, t *testing.T, cl *ethclient.Client, a common.Address, want *big.Int) {
	t.Helper()
	got, err := cl.BalanceAt(ctx, a, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got.Cmp(want) != 0 {
		t.Fatalf("balance of %s = %s, want %s", a, got, want)
	}
}

func newKey(t *testing.T) *ecdsa.PrivateKey {
	t.Helper()
	k, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestDataDirUsedTwice(t *testing.T) {
	cfg := testConfig(t.TempDir())
	startChain(t, cfg)
	_, err := New(t.Context(), cfg, slog.New(slog.DiscardHandler))
	if !errors.Is(err, node.ErrDatadirUsed) {
		t.Fatalf("second New on the same data_dir: %v, want ErrDatadirUsed", err)
	}
}

func TestContractsMissing(t *testing.T) {
	cfg := testConfig(t.TempDir())
	bogus := Info{TicketBroker: common.HexToAddress("0x1234"), ServiceRegistry: common.HexToAddress("0x5678")}
	if err := writeInfo(cfg.DataDir, bogus); err != nil {
		t.Fatal(err)
	}
	_, err := New(t.Context(), cfg, slog.New(slog.DiscardHandler))
	if !errors.Is(err, ErrContractsMissing) {
		t.Fatalf("New with chain.json naming empty addresses: %v, want ErrContractsMissing", err)
	}
}
