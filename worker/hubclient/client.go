package hubclient

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/status"

	"github.com/castmesh/castmesh/pkg/tlscert"
	pb "github.com/castmesh/castmesh/proto/castmesh/v1"
	"github.com/castmesh/castmesh/proto/convert"
)

// Client keeps a worker connected to its orchestrator.
type Client struct {
	cfg        Config
	tr         Transcoder
	ai         AIRunner // nil: no AI
	encoders   []Encoder
	logger     *slog.Logger
	metrics    *Metrics
	connected  atomic.Bool
	registered atomic.Value // string: the id the hub gave
}

// New makes a client; Run connects it. ai is nil for a worker without AI
// models.
func New(cfg Config, tr Transcoder, encoders []Encoder, ai AIRunner, logger *slog.Logger, m *Metrics) (*Client, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &Client{cfg: cfg, tr: tr, ai: ai, encoders: encoders, logger: logger.With("component", "hubclient"), metrics: m}, nil
}

// aiCapabilities lists the AI models served now.
func (c *Client) aiCapabilities() []*pb.AICapability {
	if c.ai == nil {
		return nil
	}
	models := c.ai.Models()
	out := make([]*pb.AICapability, 0, len(models))
	for _, m := range models {
		out = append(out, &pb.AICapability{
			Pipeline: m.Pipeline, ModelId: m.ModelID, Warm: m.Warm, Capacity: uint32(max(0, m.Capacity)), //nolint:gosec // small
		})
	}
	return out
}

// Connected reports whether the worker is registered now.
func (c *Client) Connected() bool { return c.connected.Load() }

// Run connects and serves jobs until ctx ends, redialling when the
// connection drops. It returns ErrRejected if the orchestrator refuses the
// worker.
func (c *Client) Run(ctx context.Context) error {
	conn, err := grpc.NewClient(c.cfg.Orchestrator,
		grpc.WithTransportCredentials(credentials.NewTLS(tlscert.ClientConfig(c.cfg.Fingerprint))))
	if err != nil {
		return fmt.Errorf("hub %s: %w", c.cfg.Orchestrator, err)
	}
	defer conn.Close()
	hub := pb.NewWorkerHubClient(conn)
	backoff := c.cfg.ReconnectMin
	for {
		start := time.Now()
		err := c.session(ctx, hub)
		c.connected.Store(false)
		if ctx.Err() != nil {
			return nil
		}
		if errors.Is(err, ErrRejected) {
			return err
		}
		if time.Since(start) > c.cfg.ReconnectMax {
			backoff = c.cfg.ReconnectMin // it was up for a while: start over
		}
		c.logger.Warn("hub connection lost, redialling", "err", err, "in", backoff)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, c.cfg.ReconnectMax)
	}
}

// session is one connection: register, then serve jobs until it breaks.
func (c *Client) session(ctx context.Context, hub pb.WorkerHubClient) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := hub.Connect(ctx)
	if err != nil {
		return err
	}
	s := &session{client: c, stream: stream, jobs: map[uint64]*job{}, slots: make(chan struct{}, c.cfg.Capacity)}
	interval, err := s.register()
	if err != nil {
		return err
	}
	c.connected.Store(true)
	var wg sync.WaitGroup
	defer wg.Wait() // jobs see ctx cancelled and finish
	defer cancel()
	wg.Go(func() { s.heartbeat(ctx, interval) })
	return s.serve(ctx, &wg)
}

func (s *session) register() (time.Duration, error) {
	c := s.client
	reg := &pb.Register{Secret: c.cfg.Secret, WorkerId: c.cfg.WorkerID, Capacity: uint32(c.cfg.Capacity), //nolint:gosec // validated
		Capabilities: &pb.Capabilities{Ai: c.aiCapabilities()}}
	for _, e := range c.encoders {
		reg.Capabilities.Transcode = append(reg.Capabilities.Transcode, &pb.TranscodeCapability{
			Codec: convert.CodecToPB(e.Codec), Encoder: e.Name, Hardware: e.Hardware,
		})
	}
	if err := s.send(&pb.ConnectRequest{Msg: &pb.ConnectRequest_Register{Register: reg}}); err != nil {
		return 0, err
	}
	resp, err := s.stream.Recv()
	if err != nil {
		if code := status.Code(err); code == codes.PermissionDenied || code == codes.InvalidArgument || code == codes.AlreadyExists {
			return 0, fmt.Errorf("%w: %w", ErrRejected, err)
		}
		return 0, err
	}
	r := resp.GetRegistered()
	if r == nil {
		return 0, fmt.Errorf("hub answered %T, want Registered", resp.GetMsg())
	}
	c.logger.Info("registered with orchestrator", "orchestrator", c.cfg.Orchestrator, "worker", r.GetWorkerId(),
		"capacity", c.cfg.Capacity)
	c.registered.Store(r.GetWorkerId())
	return max(time.Duration(r.GetHeartbeatIntervalMs())*time.Millisecond, 100*time.Millisecond), nil
}
