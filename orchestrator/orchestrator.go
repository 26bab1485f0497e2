// Package orchestrator assembles the orchestrator role: the gRPC port where
// gateways send segments and workers dial in, the session table, the worker
// pool, and the admin port. DESIGN.md §1.
package orchestrator

import (
	"context"
	"crypto/ecdsa"
	"crypto/tls"
	"fmt"
	"log/slog"
	"net"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/sync/errgroup"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"

	"github.com/castmesh/castmesh/orchestrator/pricing"
	"github.com/castmesh/castmesh/orchestrator/rpc"
	"github.com/castmesh/castmesh/orchestrator/session"
	"github.com/castmesh/castmesh/orchestrator/workers"
	"github.com/castmesh/castmesh/pkg/admin"
	"github.com/castmesh/castmesh/pkg/discovery/gossip"
	"github.com/castmesh/castmesh/pkg/tlscert"
)

// Orchestrator is a running orchestrator node.
type Orchestrator struct {
	cfg      Config
	logger   *slog.Logger
	ln       net.Listener
	grpc     *grpc.Server
	admin    *admin.Server
	sessions *session.Manager
	pool     *workers.Pool
	tls      *tls.Config
	paid     *paid // nil: payments are off
	// signer signs the renditions returned: the Ethereum key with payments
	// on, else one derived from the node secret.
	signer *ecdsa.PrivateKey
	// cluster is the gossip membership; nil when gossip is off.
	cluster *gossip.Cluster
}

// New checks the config, binds the ports and builds the parts.
func New(ctx context.Context, cfg Config, version string, reg *prometheus.Registry, logger *slog.Logger) (*Orchestrator, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	logger = logger.With("role", "orchestrator")
	sec, err := secret(cfg.DataDir)
	if err != nil {
		return nil, err
	}
	sessions, err := session.New(cfg.Sessions, subkey(sec, "session"), nil)
	if err != nil {
		return nil, err
	}
	pool, err := workers.New(cfg.Dispatch, logger, workers.NewMetrics(reg))
	if err != nil {
		return nil, err
	}
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", cfg.GRPCAddr)
	if err != nil {
		return nil, fmt.Errorf("grpc_addr: %w", err)
	}
	o := &Orchestrator{cfg: cfg, logger: logger, ln: ln, sessions: sessions, pool: pool}
	if cfg.Payments.On() {
		if o.paid, err = openPayments(ctx, cfg, sec, reg, logger); err != nil {
			ln.Close()
			return nil, err
		}
		o.signer = o.paid.key
	} else if o.signer, err = signingKey(sec); err != nil {
		ln.Close()
		return nil, err
	}
	if err := o.build(ctx, version, reg); err != nil {
		o.close()
		return nil, err
	}
	if g := cfg.Gossip.WithJoin(cfg.Join); g.On() {
		if o.cluster, err = gossip.New(g, gossip.RoleOrchestrator, o.signer, logger, gossip.NewMetrics(reg)); err != nil {
			o.close()
			return nil, fmt.Errorf("gossip: %w", err)
		}
	}
	return o, nil
}

func (o *Orchestrator) close() {
	o.ln.Close()
	if o.paid != nil {
		o.paid.close()
	}
}

func (o *Orchestrator) build(ctx context.Context, version string, reg *prometheus.Registry) error {
	host, _, _ := net.SplitHostPort(o.Addr())
	certFile, keyFile := o.cfg.TLS.CertFile, o.cfg.TLS.KeyFile
	if certFile == "" && o.cfg.DataDir != "" {
		// A self-signed certificate kept in data_dir: its fingerprint,
		// which gateways pin, survives a restart.
		var err error
		if certFile, keyFile, err = tlscert.Persistent(o.cfg.DataDir, []string{host, "localhost"}, time.Now()); err != nil {
			return err
		}
	}
	tlsConf, err := tlscert.ServerConfig(certFile, keyFile, []string{host, "localhost"})
	if err != nil {
		return err
	}
	o.tls = tlsConf
	srv, err := rpc.New(rpc.Config{
		Address: o.Addr(), WorkerSecret: o.cfg.WorkerSecret, MaxSegmentBytes: o.cfg.MaxSegmentBytes,
		JobTimeout: o.cfg.JobTimeout, Heartbeat: o.cfg.Heartbeat, Version: version,
		MaxAIRequestBytes: o.cfg.AI.MaxRequestBytes, AITimeout: o.cfg.AI.Timeout, Signer: o.signer,
	}, o.sessions, o.pool, o.payments(), o.logger)
	if err != nil {
		return err
	}
	o.grpc = grpc.NewServer(grpc.Creds(credentials.NewTLS(tlsConf)))
	srv.Register(o.grpc)
	o.admin, err = admin.New(ctx, o.cfg.AdminAddr, reg, o.status, o.logger)
	return err
}

// payments is the rpc's billing; a nil interface when payments are off.
func (o *Orchestrator) payments() rpc.Payments {
	if o.paid == nil {
		return nil
	}
	return o.paid.billing
}

// Addr is the address gateways and workers use.
func (o *Orchestrator) Addr() string {
	if o.cfg.ServiceAddr != "" {
		return o.cfg.ServiceAddr
	}
	host, port, _ := net.SplitHostPort(o.ln.Addr().String())
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}

// AdminAddr is the bound admin address.
func (o *Orchestrator) AdminAddr() string { return o.admin.Addr().String() }

// Fingerprint is the SHA-256 fingerprint of the TLS certificate.
func (o *Orchestrator) Fingerprint() string { return tlscert.ServerFingerprint(o.tls) }

// Run serves until ctx ends.
func (o *Orchestrator) Run(ctx context.Context) error {
	o.logger.Info("orchestrator listening", "grpc", o.ln.Addr().String(), "service", o.Addr(),
		"admin", o.AdminAddr(), "tls_fingerprint", o.Fingerprint())
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error { return o.grpc.Serve(o.ln) })
	g.Go(func() error {
		<-ctx.Done()
		o.grpc.Stop() // live segments fail over to other orchestrators
		return nil
	})
	g.Go(func() error { return o.sessions.Run(ctx) })
	g.Go(func() error { return o.admin.Run(ctx) })
	if o.cluster != nil {
		o.logger.Info("gossip on", "addr", o.cluster.Addr(), "name", o.cluster.Name(), "join", o.cfg.Join)
		g.Go(func() error { return o.cluster.Run(ctx) })
		g.Go(func() error { return o.advertise(ctx) })
	}
	if o.paid != nil {
		price, _ := o.paid.billing.Price(pricing.Transcode, "")
		o.logger.Info("payments on", "address", o.paid.billing.Address().Hex(), "price_per_pixel", price.RatString())
		g.Go(func() error { return o.paid.redeemer.Run(ctx) })
	}
	err := g.Wait()
	if o.paid != nil {
		o.paid.close()
	}
	return err
}

// Status is the orchestrator's /status document.
type Status struct {
	Address     string                 `json:"address"`
	Fingerprint string                 `json:"tls_fingerprint"`
	Sessions    int                    `json:"sessions"`
	MaxSessions int                    `json:"max_sessions"`
	Workers     []workers.WorkerStatus `json:"workers"`
	// AI are the AI models the workers serve, summed over workers.
	AI       []workers.AIStatus `json:"ai"`
	Payments *PaymentStatus     `json:"payments,omitempty"`
}

func (o *Orchestrator) status(ctx context.Context) any {
	live, limit := o.sessions.Count()
	st := Status{
		Address: o.Addr(), Fingerprint: o.Fingerprint(), Sessions: live, MaxSessions: limit, Workers: o.pool.Status(),
		AI: o.pool.AIModels(),
	}
	if o.paid != nil {
		ps := o.paid.status(ctx)
		st.Payments = &ps
	}
	return st
}
