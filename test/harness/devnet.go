package harness

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/castmesh/castmesh/test/fixture"
)

// Devnet is a running `castmesh devnet`, as its ready file describes it.
type Devnet struct {
	RTMP          string `json:"rtmp"`
	HTTP          string `json:"http"`
	Admin         string `json:"admin"`
	Orchestrators []struct {
		Addr        string `json:"addr"`
		Admin       string `json:"admin"`
		WorkerAdmin string `json:"worker_admin"`
		EthAddress  string `json:"eth_address"`
	} `json:"orchestrators"`
	// Gateway is the gateway's Ethereum address and Chain the embedded
	// chain, with payments on.
	Gateway string `json:"gateway"`
	Chain   *struct {
		RPC             string `json:"rpc"`
		ChainID         uint64 `json:"chain_id"`
		TicketBroker    string `json:"ticket_broker"`
		ServiceRegistry string `json:"service_registry"`
	} `json:"chain"`
	Proc *Proc `json:"-"`
}

// StartDevnet runs `bin devnet` on free loopback ports with extra flags and
// waits until it is up.
func StartDevnet(t testing.TB, bin string, flags ...string) *Devnet {
	t.Helper()
	fixture.RequireTool(t, "ffmpeg")
	ready := filepath.Join(t.TempDir(), "ready.json")
	args := append([]string{
		"devnet",
		"--rtmp-addr", "127.0.0.1:0", "--http-addr", "127.0.0.1:0", "--admin-addr", "127.0.0.1:0",
		"--orchestrator-port", "0", "--ready-file", ready,
		// Its own chain and balances: nothing carries over between tests.
		"--data-dir", filepath.Join(t.TempDir(), "devnet"), "--chain-addr", "127.0.0.1:0",
	}, flags...)
	p := Start(t, "devnet", bin, args...)
	var d Devnet
	fixture.Eventually(t, 60*time.Second, func() bool {
		b, err := os.ReadFile(ready)
		return err == nil && json.Unmarshal(b, &d) == nil
	})
	d.Proc = p
	return &d
}
