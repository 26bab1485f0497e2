package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strconv"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/castmesh/castmesh/gateway"
	"github.com/castmesh/castmesh/gateway/selection"
	"github.com/castmesh/castmesh/orchestrator"
	"github.com/castmesh/castmesh/pkg/logging"
	"github.com/castmesh/castmesh/worker"
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
	// ReadyFile, when set, receives the URLs as JSON once the network is up.
	ReadyFile string `yaml:"ready_file"`
	// Payments is off until payments land (issue #3).
	Payments string         `yaml:"payments"`
	Log      logging.Config `yaml:"log"`
}

func defaultDevnetConfig() devnetConfig {
	return devnetConfig{
		RTMPAddr: "127.0.0.1:1935", HTTPAddr: "127.0.0.1:8935", AdminAddr: "127.0.0.1:7935",
		Orchestrators: 2, OrchestratorPort: 8936, Preset: "veryfast", Payments: "off",
		Log: logging.DefaultConfig(),
	}
}

// devnetSecret is the playback secret of the devnet, so playback URLs are
// the same at every start. It protects nothing: any key is accepted.
const devnetSecret = "castmesh-devnet"

// DevnetInfo is what the devnet writes to its ready file.
type DevnetInfo struct {
	RTMP          string            `json:"rtmp"`
	HTTP          string            `json:"http"`
	Admin         string            `json:"admin"`
	Orchestrators []DevnetNodeAddrs `json:"orchestrators"`
}

// DevnetNodeAddrs locates one orchestrator and its worker.
type DevnetNodeAddrs struct {
	Addr        string `json:"addr"`
	Admin       string `json:"admin"`
	WorkerAdmin string `json:"worker_admin"`
}

func runDevnet(ctx context.Context, e env) error {
	cfg := defaultDevnetConfig()
	if err := load("devnet", &cfg, e); err != nil {
		return err
	}
	if cfg.Payments != "off" {
		return errors.New("payments: only \"off\" is available until payments land")
	}
	if cfg.Orchestrators < 1 || cfg.Orchestrators > 10 {
		return fmt.Errorf("orchestrators must be 1..10, got %d", cfg.Orchestrators)
	}
	log, err := logger(cfg.Log, e)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	g, ctx := errgroup.WithContext(ctx)
	// On a failed start, stop what did start before returning.
	fail := func(err error) error {
		cancel()
		_ = g.Wait()
		return err
	}
	var info DevnetInfo
	var nodes []*orchestrator.Orchestrator
	var workers []*worker.Worker
	for i := range cfg.Orchestrators {
		o, w, err := startOrchestrator(ctx, g, cfg, i, log)
		if err != nil {
			return fail(err)
		}
		nodes, workers = append(nodes, o), append(workers, w)
		info.Orchestrators = append(info.Orchestrators, DevnetNodeAddrs{Addr: o.Addr(), Admin: o.AdminAddr(), WorkerAdmin: w.AdminAddr()})
	}
	gw, err := startGateway(ctx, g, cfg, nodes, log)
	if err != nil {
		return fail(err)
	}
	info.RTMP, info.HTTP, info.Admin = "rtmp://"+gw.RTMPAddr()+"/live", gw.BaseURL(), "http://"+gw.AdminAddr()
	if err := waitConnected(ctx, workers); err != nil {
		return fail(err)
	}
	if err := announce(e.stdout, cfg, info, gw); err != nil {
		return fail(err)
	}
	return g.Wait()
}

func port(base, i, offset int) string {
	if base == 0 {
		return "127.0.0.1:0"
	}
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(base+10*i+offset))
}

func startOrchestrator(ctx context.Context, g *errgroup.Group, cfg devnetConfig, i int, log *slog.Logger) (*orchestrator.Orchestrator, *worker.Worker, error) {
	oc := orchestrator.DefaultConfig()
	oc.GRPCAddr = port(cfg.OrchestratorPort, i, 0)
	adminBase := 0
	if cfg.OrchestratorPort != 0 {
		adminBase = 7936
	}
	oc.AdminAddr = port(adminBase, i, 0)
	oc.WorkerSecret = randomSecret()
	log = log.With("node", fmt.Sprintf("orchestrator-%d", i+1))
	o, err := orchestrator.New(ctx, oc, version(), registry(), log)
	if err != nil {
		return nil, nil, err
	}
	wc := worker.DefaultConfig()
	wc.Orchestrator, wc.Secret, wc.OrchestratorFingerprint = o.Addr(), oc.WorkerSecret, o.Fingerprint()
	wc.ID, wc.Capacity, wc.AdminAddr = fmt.Sprintf("worker-%d", i+1), cfg.WorkerCapacity, port(adminBase, i, 1)
	wc.Transcode.Preset = cfg.Preset
	w, err := worker.New(ctx, wc, registry(), log)
	if err != nil {
		return nil, nil, err
	}
	g.Go(func() error { return o.Run(ctx) })
	g.Go(func() error { return w.Run(ctx) })
	return o, w, nil
}

func startGateway(ctx context.Context, g *errgroup.Group, cfg devnetConfig, nodes []*orchestrator.Orchestrator, log *slog.Logger) (*gateway.Gateway, error) {
	gc := gateway.DefaultConfig()
	gc.RTMP.Addr, gc.HTTPAddr, gc.AdminAddr = cfg.RTMPAddr, cfg.HTTPAddr, cfg.AdminAddr
	gc.Auth.AllowAnyKey, gc.Auth.PlaybackSecret = true, devnetSecret
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

func announce(out io.Writer, cfg devnetConfig, info DevnetInfo, gw *gateway.Gateway) error {
	fmt.Fprintf(out, `castmesh devnet is up: 1 gateway, %d orchestrators with a worker each, payments: %s

  RTMP ingest   %s/<any-stream-key>
  HTTP push     %s/live/<any-stream-key>/<seq>.ts
  Playback      %s   (stream key "test")
  Streams       %s/api/streams
  Metrics       %s/metrics
`, len(info.Orchestrators), cfg.Payments, info.RTMP, info.HTTP, gw.PlaybackURL(gw.PlaybackIDForKey("test")), info.HTTP, info.Admin)
	for i, o := range info.Orchestrators {
		fmt.Fprintf(out, "  Orchestrator %d  %s (admin http://%s, worker admin http://%s)\n", i+1, o.Addr, o.Admin, o.WorkerAdmin)
	}
	fmt.Fprintf(out, "\nTry:\n  ffmpeg -re -f lavfi -i testsrc2=size=1280x720:rate=30 -f lavfi -i sine=frequency=440 \\\n"+
		"    -c:v libx264 -preset veryfast -g 60 -keyint_min 60 -sc_threshold 0 -c:a aac -f flv %s/test\n\n", info.RTMP)
	if cfg.ReadyFile == "" {
		return nil
	}
	b, err := json.MarshalIndent(info, "", "  ")
	if err != nil {
		return err
	}
	tmp := cfg.ReadyFile + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, cfg.ReadyFile)
}
