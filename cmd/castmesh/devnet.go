package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"path/filepath"
	"strconv"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/castmesh/castmesh/ai/builtin"
	"github.com/castmesh/castmesh/ai/pipeline"
	"github.com/castmesh/castmesh/gateway"
	"github.com/castmesh/castmesh/gateway/selection"
	"github.com/castmesh/castmesh/orchestrator"
	"github.com/castmesh/castmesh/payments/wei"
	"github.com/castmesh/castmesh/pkg/logging"
	"github.com/castmesh/castmesh/worker"
	"github.com/castmesh/castmesh/worker/airunner"
)

// devnetConfig lays out the whole network on loopback.
type devnetConfig struct {
	// RTMPAddr, HTTPAddr and AdminAddr are the gateway's.
	RTMPAddr  string `yaml:"rtmp_addr"`
	HTTPAddr  string `yaml:"http_addr"`
	AdminAddr string `yaml:"admin_addr"`
	// Orchestrators is how many orchestrators run, each with one worker.
	Orchestrators int `yaml:"orchestrators"`
	// OrchestratorPort is the first orchestrator's gRPC port; orchestrator
	// i listens on it plus 10·i, its admin port on 7936 plus 10·i and its
	// worker's admin on 7937 plus 10·i. 0 picks free ports for all of them.
	OrchestratorPort int `yaml:"orchestrator_port"`
	// Preset is the workers' x264 preset.
	Preset string `yaml:"preset"`
	// WorkerCapacity is each worker's concurrent segments; 0 = automatic.
	WorkerCapacity int `yaml:"worker_capacity"`
	// AI is "on" (every worker serves the built-in CPU models: the first
	// orchestrator's warm, the others' cold, loaded on first use) or "off".
	AI string `yaml:"ai"`
	// AIAssets is where the built-in models find the setup script's files.
	AIAssets string `yaml:"ai_assets"`
	// LLMURL, when set, is an OpenAI-compatible endpoint the workers
	// forward llm requests to, serving LLMModel; unset, llm is not offered.
	LLMURL   string `yaml:"llm_url"`
	LLMModel string `yaml:"llm_model"`
	// ReadyFile, when set, receives the URLs as JSON once the network is up.
	ReadyFile string `yaml:"ready_file"`
	// DataDir keeps the chain, the nodes' balances and ticket queues, and
	// the dev keys; a later start resumes them.
	DataDir string `yaml:"data_dir"`
	// Payments is "on" (the embedded chain, tickets) or "off".
	Payments string `yaml:"payments"`
	// ChainAddr is the embedded chain's JSON-RPC address; BlockPeriod its
	// block time.
	ChainAddr   string        `yaml:"chain_addr"`
	BlockPeriod time.Duration `yaml:"block_period"`
	// Deposit is the gateway's TicketBroker deposit and Reserve its reserve
	// for each orchestrator, topped up to these at start.
	Deposit wei.Amount `yaml:"deposit"`
	Reserve wei.Amount `yaml:"reserve"`
	// PricePerPixel is the orchestrators' price, TicketEV their tickets'
	// expected value and MaxFaceValue their face value cap (0: none).
	PricePerPixel wei.Price      `yaml:"price_per_pixel"`
	TicketEV      wei.Amount     `yaml:"ticket_ev"`
	MaxFaceValue  wei.Amount     `yaml:"max_face_value"`
	Log           logging.Config `yaml:"log"`
}

func defaultDevnetConfig() devnetConfig {
	amount := func(s string) wei.Amount { a, _ := wei.ParseAmount(s); return a }
	price, _ := wei.ParsePrice("1000")
	return devnetConfig{
		RTMPAddr: "127.0.0.1:1935", HTTPAddr: "127.0.0.1:8935", AdminAddr: "127.0.0.1:7935",
		Orchestrators: 2, OrchestratorPort: 8936, Preset: "veryfast", AI: "on", AIAssets: filepath.Join(".tools", "ai"),
		DataDir: ".data/devnet", Payments: "on", ChainAddr: "127.0.0.1:8545", BlockPeriod: time.Second,
		// 10 ETH of deposit and 1 ETH reserved per orchestrator: hours of
		// devnet streaming at the default price.
		Deposit: amount("10eth"), Reserve: amount("1eth"),
		PricePerPixel: price, TicketEV: amount("10gwei"),
		// 100 EV: one ticket in a hundred wins; at about nine tickets a
		// segment a devnet stream shows winners redeemed within a minute.
		MaxFaceValue: amount("1000gwei"),
		Log:          logging.DefaultConfig(),
	}
}

// devnetSecret is the playback secret of the devnet, so playback URLs are
// the same at every start. It protects nothing: any key is accepted.
const devnetSecret = "castmesh-devnet"

func runDevnet(ctx context.Context, e env) error {
	cfg := defaultDevnetConfig()
	if err := load("devnet", &cfg, e); err != nil {
		return err
	}
	if cfg.Payments != "on" && cfg.Payments != "off" {
		return fmt.Errorf("payments must be on or off, got %q", cfg.Payments)
	}
	if cfg.AI != "on" && cfg.AI != "off" {
		return fmt.Errorf("ai must be on or off, got %q", cfg.AI)
	}
	if (cfg.LLMURL == "") != (cfg.LLMModel == "") {
		return errors.New("llm_url and llm_model must be set together")
	}
	if cfg.Orchestrators < 1 || cfg.Orchestrators > 8 {
		return fmt.Errorf("orchestrators must be 1..8, got %d", cfg.Orchestrators)
	}
	log, err := logger(cfg.Log, e)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	g, ctx := errgroup.WithContext(ctx)
	info, err := startDevnet(ctx, g, cfg, log)
	if err != nil {
		cancel()
		_ = g.Wait() // stop what did start
		return err
	}
	if err := announce(e.stdout, cfg, info); err != nil {
		cancel()
		_ = g.Wait()
		return err
	}
	return g.Wait()
}

// startDevnet starts every node and returns what to announce.
func startDevnet(ctx context.Context, g *errgroup.Group, cfg devnetConfig, log *slog.Logger) (DevnetInfo, error) {
	var info DevnetInfo
	var pay *devnetPayments
	if cfg.Payments == "on" {
		var err error
		if pay, err = startDevnetChain(ctx, g, cfg, log); err != nil {
			return info, err
		}
		info.Chain = pay.chainInfo()
	}
	var nodes []*orchestrator.Orchestrator
	var workers []*worker.Worker
	for i := range cfg.Orchestrators {
		o, w, err := startOrchestrator(ctx, g, cfg, i, pay, log)
		if err != nil {
			return info, err
		}
		nodes, workers = append(nodes, o), append(workers, w)
		addrs := DevnetNodeAddrs{Addr: o.Addr(), Admin: o.AdminAddr(), WorkerAdmin: w.AdminAddr()}
		if pay != nil {
			addrs.EthAddress = pay.orchestratorAddress(i).Hex()
		}
		info.Orchestrators = append(info.Orchestrators, addrs)
	}
	if pay != nil {
		if err := pay.fund(ctx, cfg, info.Orchestrators); err != nil {
			return info, err
		}
		info.Gateway = pay.gatewayAddress().Hex()
	}
	gw, err := startGateway(ctx, g, cfg, nodes, pay, log)
	if err != nil {
		return info, err
	}
	info.RTMP, info.HTTP, info.Admin = "rtmp://"+gw.RTMPAddr()+"/live", gw.BaseURL(), "http://"+gw.AdminAddr()
	info.TestPlayback = gw.PlaybackURL(gw.PlaybackIDForKey("test"))
	return info, waitConnected(ctx, workers)
}

func port(base, i, offset int) string {
	if base == 0 {
		return "127.0.0.1:0"
	}
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(base+10*i+offset))
}

func startOrchestrator(ctx context.Context, g *errgroup.Group, cfg devnetConfig, i int, pay *devnetPayments, log *slog.Logger) (*orchestrator.Orchestrator, *worker.Worker, error) {
	oc := orchestrator.DefaultConfig()
	oc.GRPCAddr = port(cfg.OrchestratorPort, i, 0)
	adminBase := 0
	if cfg.OrchestratorPort != 0 {
		adminBase = 7936
	}
	oc.AdminAddr = port(adminBase, i, 0)
	oc.WorkerSecret = randomSecret()
	oc.Payments.Mode = cfg.Payments
	if pay != nil {
		if err := pay.orchestrator(&oc, cfg, i); err != nil {
			return nil, nil, err
		}
	}
	log = log.With("node", fmt.Sprintf("orchestrator-%d", i+1))
	o, err := orchestrator.New(ctx, oc, version(), registry(), log)
	if err != nil {
		return nil, nil, err
	}
	wc := worker.DefaultConfig()
	wc.Orchestrator, wc.Secret, wc.OrchestratorFingerprint = o.Addr(), oc.WorkerSecret, o.Fingerprint()
	wc.ID, wc.Capacity, wc.AdminAddr = fmt.Sprintf("worker-%d", i+1), cfg.WorkerCapacity, port(adminBase, i, 1)
	wc.Transcode.Preset = cfg.Preset
	wc.AIAssets = cfg.AIAssets
	if cfg.AI == "on" {
		wc.AI.Models = devnetModels(cfg, i == 0)
	}
	w, err := worker.New(ctx, wc, registry(), log)
	if err != nil {
		return nil, nil, err
	}
	g.Go(func() error { return o.Run(ctx) })
	g.Go(func() error { return w.Run(ctx) })
	return o, w, nil
}

// devnetModels is every built-in model, one request at a time each (CPU
// inference wants the cores to itself), warm or cold.
func devnetModels(cfg devnetConfig, warm bool) []airunner.ModelConfig {
	var out []airunner.ModelConfig
	for _, e := range builtin.Catalogue() {
		m := airunner.ModelConfig{Pipeline: string(e.Pipeline), ModelID: e.ModelID, Warm: warm, Capacity: 1, Timeout: 10 * time.Minute}
		if e.Pipeline == pipeline.LLM {
			if cfg.LLMURL == "" {
				continue
			}
			m.ModelID, m.Options = cfg.LLMModel, map[string]string{"base_url": cfg.LLMURL}
		}
		out = append(out, m)
	}
	return out
}

func startGateway(ctx context.Context, g *errgroup.Group, cfg devnetConfig, nodes []*orchestrator.Orchestrator, pay *devnetPayments, log *slog.Logger) (*gateway.Gateway, error) {
	gc := gateway.DefaultConfig()
	gc.RTMP.Addr, gc.HTTPAddr, gc.AdminAddr = cfg.RTMPAddr, cfg.HTTPAddr, cfg.AdminAddr
	gc.Auth.AllowAnyKey, gc.Auth.PlaybackSecret = true, devnetSecret
	gc.Payments.Mode = cfg.Payments
	// The file API, open to every caller as the devnet is.
	gc.VOD.Enabled = true
	gc.VOD.Store, gc.VOD.MediaDir = filepath.Join(cfg.DataDir, "gateway", "vod.db"), filepath.Join(cfg.DataDir, "gateway", "vod")
	if pay != nil {
		if err := pay.gateway(&gc, cfg); err != nil {
			return nil, err
		}
	}
	for _, o := range nodes {
		gc.Selection.Orchestrators = append(gc.Selection.Orchestrators, selection.Orchestrator{Addr: o.Addr(), Fingerprint: o.Fingerprint()})
	}
	gw, err := gateway.New(ctx, gc, registry(), log.With("node", "gateway"))
	if err != nil {
		return nil, err
	}
	g.Go(func() error { return gw.Run(ctx) })
	return gw, nil
}

// waitConnected waits until every worker has registered, so the first
// stream finds capacity.
func waitConnected(ctx context.Context, workers []*worker.Worker) error {
	deadline := time.NewTimer(30 * time.Second)
	defer deadline.Stop()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		all := true
		for _, w := range workers {
			all = all && w.Connected()
		}
		if all {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-deadline.C:
			return errors.New("workers did not connect to their orchestrators within 30s")
		case <-tick.C:
		}
	}
}
