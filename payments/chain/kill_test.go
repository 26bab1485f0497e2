package chain

import (
	"context"
	"log/slog"
	"math/big"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/castmesh/castmesh/test/fixture"
)

// helperDirEnv makes the test binary run a chain in that directory until
// it is killed (TestResumesAfterKill's child).
const helperDirEnv = "CASTMESH_CHAIN_HELPER_DIR"

// TestResumesAfterKill SIGKILLs a process running a chain and checks that
// a restart keeps what was mined before the kill: the archive hash-scheme
// state is written at every block, not only at a clean shutdown.
func TestResumesAfterKill(t *testing.T) {
	if dir := os.Getenv(helperDirEnv); dir != "" {
		runHelperChain(t, dir)
		return
	}
	cfg := testConfig(t.TempDir())
	child := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestResumesAfterKill$")
	child.Env = append(os.Environ(), helperDirEnv+"="+cfg.DataDir)
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	killed := false
	defer func() {
		if !killed {
			_ = child.Process.Kill()
			_ = child.Wait()
		}
	}()
	var info Info
	fixture.Eventually(t, 30*time.Second, func() bool {
		i, ok, err := readInfo(cfg.DataDir)
		info = i
		return err == nil && ok
	}, "child chain up")
	cl := dial(t, info.RPCURL)
	ctx := ctxFor(t, 20*time.Second)
	to := crypto.PubkeyToAddress(newKey(t).PublicKey)
	if err := Fund(ctx, cl, DevKey(1), to, big.NewInt(12345)); err != nil {
		t.Fatal(err)
	}
	head, err := WaitBlocks(ctx, cl, 3)
	if err != nil {
		t.Fatal(err)
	}
	cl.Close()
	killed = true
	_ = child.Process.Kill()
	_ = child.Wait()

	c, _ := startChain(t, cfg)
	cl2 := dial(t, c.URL())
	if got, err := cl2.BlockNumber(ctx); err != nil || got+1 < head {
		t.Fatalf("after kill head = %d (%v), want about %d", got, err, head)
	}
	checkBalance(ctx, t, cl2, to, big.NewInt(12345))
	if c.Info().TicketBroker != info.TicketBroker {
		t.Fatalf("contracts changed after kill: %s, was %s", c.Info().TicketBroker, info.TicketBroker)
	}
}

// runHelperChain runs a chain until the parent kills this process.
func runHelperChain(t *testing.T, dir string) {
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	c, err := New(ctx, testConfig(dir), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Run(ctx); err != nil {
		t.Fatal(err)
	}
}
