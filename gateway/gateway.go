// Package gateway assembles the gateway role: RTMP and HTTP push ingest,
// the stream manager, orchestrator selection, HLS output, /api/streams, and
// the admin port. DESIGN.md §1 and §3.
package gateway

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/sync/errgroup"

	"github.com/castmesh/castmesh/ai/pipeline"
	"github.com/castmesh/castmesh/gateway/aiapi"
	"github.com/castmesh/castmesh/gateway/apikey"
	"github.com/castmesh/castmesh/gateway/auth"
	"github.com/castmesh/castmesh/gateway/hls"
	"github.com/castmesh/castmesh/gateway/ingest/httppush"
	"github.com/castmesh/castmesh/gateway/ingest/rtmp"
	"github.com/castmesh/castmesh/gateway/orchclient"
	"github.com/castmesh/castmesh/gateway/peers"
	"github.com/castmesh/castmesh/gateway/selection"
	"github.com/castmesh/castmesh/gateway/streams"
	"github.com/castmesh/castmesh/gateway/vod"
	"github.com/castmesh/castmesh/pkg/admin"
	"github.com/castmesh/castmesh/pkg/clientip"
	"github.com/castmesh/castmesh/pkg/discovery"
	"github.com/castmesh/castmesh/pkg/discovery/gossip"
)

// Gateway is a running gateway node.
type Gateway struct {
	cfg       Config
	logger    *slog.Logger
	httpLn    net.Listener
	http      *http.Server
	rtmp      *rtmp.Server
	hls       *hls.Server
	streams   *streams.Manager
	selection *selection.Selector
	discovery *discovery.Cache
	cluster   *gossip.Cluster // nil: gossip is off
	peers     *peers.Peers    // nil: gossip is off
	authz     *auth.Authorizer
	keys      *apikey.Keyring
	clients   *clientip.Resolver
	ai        *aiapi.API // nil: the AI API is off
	vod       *vod.API   // nil: the VOD API is off
	admin     *admin.Server
	paying    *paying // nil: payments are off
}

// New checks the config, binds the ports and builds the parts.
func New(ctx context.Context, cfg Config, reg *prometheus.Registry, logger *slog.Logger) (*Gateway, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	g := &Gateway{cfg: cfg, logger: logger.With("role", "gateway")}
	if err := g.build(ctx, reg); err != nil {
		g.closeListeners()
		return nil, err
	}
	return g, nil
}

func (g *Gateway) build(ctx context.Context, reg *prometheus.Registry) error {
	var err error
	if g.httpLn, err = (&net.ListenConfig{}).Listen(ctx, "tcp", g.cfg.HTTPAddr); err != nil {
		return fmt.Errorf("http_addr: %w", err)
	}
	if g.hls, err = hls.New(g.cfg.HLS, g.logger, hls.NewMetrics(reg)); err != nil {
		return err
	}
	if g.authz, err = auth.New(g.cfg.Auth, &http.Client{}, g.logger); err != nil {
		return err
	}
	if g.keys, err = apikey.New(g.cfg.APIKeys, g.cfg.HTTPAddr, len(g.cfg.TrustedProxies) > 0); err != nil {
		return fmt.Errorf("api_keys: %w", err)
	}
	if g.clients, err = clientip.New(g.cfg.TrustedProxies); err != nil {
		return fmt.Errorf("trusted_proxies: %w", err)
	}
	deps := streams.Deps{
		Auth: g.authz, PlaybackURL: g.PlaybackURL,
		OpenPlaylist: func(id string) (streams.Playlist, error) { return g.hls.Open(id) },
	}
	var pay selection.Payments
	if g.cfg.Payments.On() {
		if g.paying, err = openPaying(ctx, g.cfg); err != nil {
			return err
		}
		pay, deps.Funded = g.paying.selection(), g.paying.sender.Ready
	}
	src, err := g.openDiscovery(reg)
	if err != nil {
		return err
	}
	g.discovery = discovery.NewCache(src, g.cfg.Discovery.Cache, g.logger, discovery.NewMetrics(reg))
	if g.selection, err = selection.New(g.cfg.Selection, g.cfg.ID, pay, g.discovery.Nodes, g.logger, selection.NewMetrics(reg)); err != nil {
		return err
	}
	deps.Transcoder = g.selection
	g.streams, err = streams.New(g.cfg.Streams, deps, g.logger, streams.NewMetrics(reg))
	if err != nil {
		return err
	}
	push, err := httppush.New(g.cfg.HTTPPush, g.streams, g.logger, httppush.NewMetrics(reg))
	if err != nil {
		return err
	}
	if g.rtmp, err = rtmp.New(ctx, g.cfg.RTMP, g.streams, g.logger, rtmp.NewMetrics(reg)); err != nil {
		return fmt.Errorf("rtmp: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("/live/", push)
	if g.cluster != nil {
		// Gateways in one cluster serve each other's live streams.
		gc := g.cfg.Gossip
		g.peers = peers.New(g.cluster, g.BaseURL, g.streams.List, peers.PolicyFor(gc.BindAddr, gc.AdvertiseAddr), g.logger)
		mux.Handle("/hls/", g.peers.HLS(g.hls, g.streams.Live))
		mux.Handle("/api/streams", g.listing(http.HandlerFunc(g.serveStreams)))
	} else {
		mux.Handle("/hls/", g.hls)
		mux.Handle("/api/streams", g.listing(g.streams))
	}
	if g.cfg.AI.Enabled {
		if err := g.buildAI(ctx, reg); err != nil {
			return err
		}
		h := g.ai.Handler()
		for _, p := range aiapi.Paths() {
			mux.Handle(p, h)
		}
	}
	if g.cfg.VOD.Enabled {
		if g.vod, err = vod.New(ctx, g.cfg.VOD, g.cfg.DataDir, vod.Deps{Transcoder: g.selection, ClientIP: g.clients}, g.logger, vod.NewMetrics(reg)); err != nil {
			return err
		}
		h := g.vod.Handler()
		mux.Handle("/v1/", h)
		mux.Handle("/api/optimize", h) // the Ghost Stream API's simple form
		mux.Handle("/api/optimize/", h)
	}
	g.http = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	g.admin, err = admin.New(ctx, g.cfg.AdminAddr, reg, g.status, g.logger)
	return err
}

// buildAI makes the AI API, with its own connections to the
// orchestrators selection uses.
func (g *Gateway) buildAI(ctx context.Context, reg *prometheus.Registry) error {
	deps := aiapi.Deps{
		GatewayID: g.cfg.ID, BaseURL: g.aiBaseURL, Audio: pipeline.FFprobe{},
		Nodes: g.discovery.Nodes, Keys: g.keys,
		Dial: func(n discovery.Node) (aiapi.Orchestrator, error) {
			return orchclient.New(n.Addr, n.Fingerprint, g.cfg.AI.MaxBodyBytes)
		},
	}
	if g.paying != nil {
		deps.Payments = aiapi.Payments{Payer: g.paying.sender}
	}
	var err error
	g.ai, err = aiapi.New(ctx, g.cfg.AI, deps, g.logger, aiapi.NewMetrics(reg))
	return err
}

// aiBaseURL is the base of AI result links: BaseURL, whatever the
// request's Host says.
func (g *Gateway) aiBaseURL(*http.Request) string { return g.BaseURL() }

func (g *Gateway) closeListeners() {
	if g.httpLn != nil {
		g.httpLn.Close()
	}
	if g.paying != nil {
		g.paying.close()
	}
	if g.vod != nil {
		g.vod.Close()
	}
}

// PlaybackIDForKey is the playback id a stream key gets unless a static
// key or the webhook names another.
func (g *Gateway) PlaybackIDForKey(key string) string { return g.authz.PlaybackID(key) }

// PlaybackURL is the public URL of a stream's master playlist.
func (g *Gateway) PlaybackURL(playbackID string) string {
	return g.BaseURL() + "/hls/" + playbackID + "/index.m3u8"
}

// BaseURL is the public base URL of the HTTP port: public_url, else the
// bound address. Never the request's Host header, which the caller writes:
// URLs built from it would send other callers wherever it says.
func (g *Gateway) BaseURL() string {
	if g.cfg.PublicURL != "" {
		return strings.TrimRight(g.cfg.PublicURL, "/")
	}
	return "http://" + g.httpLn.Addr().String()
}

// RTMPAddr is the bound RTMP address.
func (g *Gateway) RTMPAddr() string { return g.rtmp.Addr().String() }

// AdminAddr is the bound admin address.
func (g *Gateway) AdminAddr() string { return g.admin.Addr().String() }

// Run serves until ctx ends, then stops taking publishers, lets the live
// streams end and finalizes their recordings.
func (g *Gateway) Run(ctx context.Context) error {
	g.logger.Info("gateway listening", "rtmp", g.RTMPAddr(), "http", g.httpLn.Addr().String(), "admin", g.AdminAddr())
	g.logExposure()
	defer g.selection.Close()
	if g.paying != nil {
		defer g.paying.close()
		if err := g.paying.sender.Ready(ctx); err != nil {
			g.logger.Error("payments on but the gateway cannot pay: streams will be refused", "address",
				g.paying.sender.Address().Hex(), "err", err)
		} else {
			g.logger.Info("payments on", "address", g.paying.sender.Address().Hex())
		}
	}
	eg, ctx := errgroup.WithContext(ctx)
	eg.Go(func() error { return g.discovery.Run(ctx) })
	if g.cluster != nil {
		g.logger.Info("gossip on", "addr", g.cluster.Addr(), "name", g.cluster.Name(), "join", g.cfg.Join)
		eg.Go(func() error { return g.cluster.Run(ctx) })
		eg.Go(func() error { return g.peers.Run(ctx) })
	}
	eg.Go(func() error {
		// Terms are asked once discovery has answered, not of nobody.
		select {
		case <-g.discovery.Ready():
		case <-ctx.Done():
			return nil
		}
		return g.selection.Run(ctx)
	})
	eg.Go(func() error { return g.rtmp.Run(ctx) })
	eg.Go(func() error { return g.hls.Run(ctx) })
	eg.Go(func() error { return g.streams.Run(ctx) })
	eg.Go(func() error { return g.admin.Run(ctx) })
	if g.ai != nil {
		eg.Go(func() error { return g.ai.Run(ctx) })
	}
	if g.vod != nil {
		defer g.vod.Close()
		eg.Go(func() error { return g.vod.Run(ctx) })
	}
	eg.Go(func() error {
		if err := g.http.Serve(g.httpLn); !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	})
	eg.Go(func() error {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		return g.http.Shutdown(sctx)
	})
	return eg.Wait()
}

// Status is the gateway's /status document.
type Status struct {
	RTMP     string         `json:"rtmp"`
	HTTP     string         `json:"http"`
	Streams  []streams.Info `json:"streams"`
	Payments *PaymentStatus `json:"payments,omitempty"`
}

func (g *Gateway) status(ctx context.Context) any {
	st := Status{RTMP: g.RTMPAddr(), HTTP: g.BaseURL(), Streams: g.streams.List()}
	if g.paying != nil {
		ps := g.paying.status(ctx)
		st.Payments = &ps
	}
	return st
}
