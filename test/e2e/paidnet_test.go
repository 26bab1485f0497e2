package e2e

import (
	"crypto/ecdsa"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/castmesh/castmesh/payments/broker"
	"github.com/castmesh/castmesh/payments/chain"
	"github.com/castmesh/castmesh/payments/wallet"
	"github.com/castmesh/castmesh/test/fixture"
	"github.com/castmesh/castmesh/test/harness"
)

// Payment terms of the paid networks: 1000 wei per output pixel, tickets
// worth 10 gwei with a face value of 40 gwei, so a 2 s segment of a 360p
// source's ladder (three 360p renditions, ~41 Mpx, ~41 gwei) carries about
// four tickets and one in four tickets wins. A 20 s stream's ~40 tickets
// then all lose with a chance of 0.75^40 ≈ 1e-5 (with one in ten winning,
// as these tests first had it, 1.5 %, and a CI run did see no winner).
const (
	pricePerPixel = 1000
	ticketEV      = 10_000_000_000
	maxFaceValue  = 40_000_000_000
)

// paidNet is a network of separate processes with payments on: a chain,
// orchestrators each with an in-process worker, and a gateway.
type paidNet struct {
	t         *testing.T
	rpc       string
	contracts broker.Addresses
	eth       *ethclient.Client
	dir       string
	orchs     []*paidOrchestrator
	gw        paidGateway
	lastSeen  harness.Stream
}

type paidOrchestrator struct {
	name, grpc, admin, config string
	key                       *ecdsa.PrivateKey
	proc                      *harness.Proc
}

type paidGateway struct {
	rtmp, http, admin, config string
	key                       *ecdsa.PrivateKey
	proc                      *harness.Proc
}

// chainEnv is the chain a paid network runs on.
type chainEnv struct {
	rpc       string
	contracts broker.Addresses
	// keys are funded accounts: the gateway's first, then the orchestrators'.
	keys []*ecdsa.PrivateKey
}

// embeddedChain runs `castmesh chain` as its own process; its dev accounts
// 1, 2, … are funded at genesis.
func embeddedChain(t *testing.T, accounts int) chainEnv {
	t.Helper()
	dir := t.TempDir()
	harness.Start(t, "chain", binary, "chain", "--data-dir", dir, "--http-addr", harness.FreeAddrs(t, 1)[0],
		"--block-period", "1s", "--accounts", fmt.Sprint(accounts+1))
	var info chain.Info
	fixture.Eventually(t, time.Minute, func() bool {
		b, err := os.ReadFile(filepath.Join(dir, "chain.json"))
		return err == nil && json.Unmarshal(b, &info) == nil && info.RPCURL != ""
	}, "the chain to start")
	env := chainEnv{rpc: info.RPCURL, contracts: info.Addresses()}
	for i := 1; i <= accounts; i++ {
		env.keys = append(env.keys, chain.DevKey(i))
	}
	return env
}

// gethChain runs a real `geth --dev` node, deploys the contracts on it
// with castmesh's own code and funds fresh accounts from geth's dev key.
func gethChain(t *testing.T, accounts int) chainEnv {
	t.Helper()
	g := harness.StartGeth(t)
	eth, err := ethclient.DialContext(t.Context(), g.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer eth.Close()
	addrs, err := broker.Deploy(t.Context(), eth, g.Key, broker.DefaultDeployConfig())
	if err != nil {
		t.Fatalf("deploy on geth: %v", err)
	}
	env := chainEnv{rpc: g.URL, contracts: addrs}
	hundred := new(big.Int).Mul(big.NewInt(100), big.NewInt(1e18))
	for range accounts {
		k, err := crypto.GenerateKey()
		if err != nil {
			t.Fatal(err)
		}
		if err := chain.Fund(t.Context(), eth, g.Key, crypto.PubkeyToAddress(k.PublicKey), hundred); err != nil {
			t.Fatal(err)
		}
		env.keys = append(env.keys, k)
	}
	return env
}

// startPaidNet starts orchestrators and a gateway on a chain; nothing is
// funded yet (fund does that).
func startPaidNet(t *testing.T, env chainEnv, orchestrators int) *paidNet {
	t.Helper()
	fixture.RequireTool(t, "ffmpeg")
	eth, err := ethclient.DialContext(t.Context(), env.rpc)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(eth.Close)
	n := &paidNet{t: t, rpc: env.rpc, contracts: env.contracts, eth: eth, dir: t.TempDir()}
	for i := range orchestrators {
		n.orchs = append(n.orchs, n.writeOrchestrator(i, env.keys[1+i]))
		n.startOrchestrator(i)
	}
	n.writeGateway(env.keys[0])
	n.gw.proc = harness.Start(t, "gateway", binary, "gateway", "--config", n.gw.config)
	fixture.Eventually(t, 30*time.Second, func() bool {
		code, _ := harness.Get(t, n.gw.http+"/api/streams")
		return code == http.StatusOK
	}, "the gateway to answer")
	return n
}

// ethConfig is a node's wallet section.
func (n *paidNet) ethConfig(name string, key *ecdsa.PrivateKey) map[string]any {
	path := filepath.Join(n.dir, name+".key")
	if err := wallet.WriteKey(path, key); err != nil {
		n.t.Fatal(err)
	}
	return map[string]any{"rpc_url": n.rpc, "key_file": path, "contracts": map[string]string{
		"ticket_broker": n.contracts.TicketBroker.Hex(), "service_registry": n.contracts.ServiceRegistry.Hex(),
	}}
}

// writeConfig writes a role's config as JSON (which is YAML).
func (n *paidNet) writeConfig(name string, cfg map[string]any) string {
	b, err := json.MarshalIndent(cfg, "", "  ")
	if err != nil {
		n.t.Fatal(err)
	}
	path := filepath.Join(n.dir, name+".yaml")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		n.t.Fatal(err)
	}
	return path
}

func (n *paidNet) writeOrchestrator(i int, key *ecdsa.PrivateKey) *paidOrchestrator {
	a := harness.FreeAddrs(n.t, 3)
	o := &paidOrchestrator{name: fmt.Sprintf("orchestrator-%d", i+1), grpc: a[0], admin: a[1], key: key}
	o.config = n.writeConfig(o.name, map[string]any{
		"grpc_addr": o.grpc, "admin_addr": o.admin, "worker_secret": "paid-net-worker-secret-0123456789",
		"data_dir": filepath.Join(n.dir, o.name), "combined": true,
		"worker": map[string]any{
			"admin_addr": a[2], "capacity": 2, "id": o.name + "-worker",
			"transcode": map[string]any{"preset": "ultrafast"},
		},
		"payments": map[string]any{
			"mode": "on", "eth": n.ethConfig(o.name, key),
			"prices":    map[string]any{"transcode": fmt.Sprint(pricePerPixel)},
			"recipient": map[string]any{"ticket_ev": fmt.Sprint(ticketEV), "max_face_value": fmt.Sprint(maxFaceValue), "params_lifetime": 8},
			"redeemer":  map[string]any{"interval": "250ms"},
		},
		"log": map[string]any{"level": "debug"},
	})
	return o
}

func (n *paidNet) startOrchestrator(i int) {
	o := n.orchs[i]
	o.proc = harness.Start(n.t, o.name, binary, "orchestrator", "--config", o.config)
	fixture.Eventually(n.t, 30*time.Second, func() bool {
		return strings.Contains(n.orchestratorStatus(i).raw, `"workers":[{`)
	}, o.name+" and its worker to start")
}

func (n *paidNet) writeGateway(key *ecdsa.PrivateKey) {
	a := harness.FreeAddrs(n.t, 3)
	n.gw = paidGateway{rtmp: a[0], http: "http://" + a[1], admin: "http://" + a[2], key: key}
	var orchs []map[string]string
	for _, o := range n.orchs {
		orchs = append(orchs, map[string]string{"addr": o.grpc})
	}
	n.gw.config = n.writeConfig("gateway", map[string]any{
		"http_addr": a[1], "admin_addr": a[2], "data_dir": filepath.Join(n.dir, "gateway"),
		"rtmp":      map[string]any{"addr": a[0]},
		"auth":      map[string]any{"allow_any_key": true, "playback_secret": "paid"},
		"selection": map[string]any{"orchestrators": orchs},
		"payments":  map[string]any{"mode": "on", "eth": n.ethConfig("gateway", key)},
		"log":       map[string]any{"level": "debug"},
	})
}

// operator runs an operator command of the gateway or an orchestrator with
// its config and returns its output.
func (n *paidNet) operator(role, config string, args ...string) string {
	n.t.Helper()
	out, err := runCommand(n.t, binary, append([]string{role, args[0], "--config", config}, args[1:]...)...)
	if err != nil {
		n.t.Fatalf("castmesh %s %v: %v\n%s", role, args, err, out)
	}
	return out
}

// fund gives the gateway a deposit and a reserve for each orchestrator,
// and registers each orchestrator on chain, with the operator commands.
func (n *paidNet) fund(deposit, reserve string) {
	n.t.Helper()
	n.operator("gateway", n.gw.config, "deposit", deposit)
	for _, o := range n.orchs {
		n.operator("gateway", n.gw.config, "reserve", crypto.PubkeyToAddress(o.key.PublicKey).Hex(), reserve)
		n.operator("orchestrator", o.config, "register", o.grpc)
	}
}
