package rpc

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"log/slog"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"google.golang.org/grpc"

	"github.com/castmesh/castmesh/ai/pipeline"
	"github.com/castmesh/castmesh/orchestrator/session"
	"github.com/castmesh/castmesh/orchestrator/workers"
	"github.com/castmesh/castmesh/payments/ticket"
	pb "github.com/castmesh/castmesh/proto/castmesh/v1"
)

// Config is what the adapter needs to know beyond its dependencies.
type Config struct {
	// Address is the host:port gateways are told to use.
	Address string
	// WorkerSecret is the shared secret workers register with.
	WorkerSecret string
	// MaxSegmentBytes caps an uploaded segment.
	MaxSegmentBytes int64
	// JobTimeout bounds one segment's transcode, retries included.
	JobTimeout time.Duration
	// Heartbeat is how often workers must send a heartbeat; a worker silent
	// for three intervals is dropped.
	Heartbeat time.Duration
	// Version is the node's software version, advertised in capabilities.
	Version string
	// MaxAIRequestBytes caps an AI request body.
	MaxAIRequestBytes int64
	// AITimeout bounds one AI request, retries included.
	AITimeout time.Duration
	// Signer signs the renditions returned (pkg/attest); its address is
	// advertised in every OrchestratorInfo.
	Signer *ecdsa.PrivateKey
}

// Payments is the orchestrator's billing.
type Payments interface {
	// Address is the orchestrator's Ethereum address, the tickets' recipient.
	Address() common.Address
	// Price is what a new session pays per unit of capability ("transcode"
	// or an AI pipeline) with model, in wei; ok is false when not offered.
	Price(capability, model string) (price *big.Rat, ok bool)
	// Params are fresh ticket params for sender.
	Params(ctx context.Context, sender common.Address) (*ticket.Params, error)
	// Accept credits a payment to a session whose price, if new, must be at
	// least ask, checks the session covers units of work and holds its
	// fee; it returns the hold.
	Accept(ctx context.Context, session string, p *ticket.Payment, ask *big.Rat, units int64) (*big.Rat, error)
	// Charge ends a hold and bills the session for the units made; it
	// returns the balance.
	Charge(ctx context.Context, sender common.Address, session string, held *big.Rat, units int64) (*big.Rat, error)
	// Release ends the hold of work not done.
	Release(sender common.Address, session string, held *big.Rat)
}

// Server implements both services.
type Server struct {
	pb.UnimplementedOrchestratorServer
	cfg      Config
	sessions *session.Manager
	pool     *workers.Pool
	payments Payments // nil: payments are off
	logger   *slog.Logger
	hub      *hub
	decoder  pipeline.Decoder
}

// New makes the adapter; payments is nil when payments are off.
func New(cfg Config, sessions *session.Manager, pool *workers.Pool, payments Payments, logger *slog.Logger) (*Server, error) {
	switch {
	case cfg.WorkerSecret == "":
		return nil, fmt.Errorf("worker secret must be set")
	case cfg.MaxSegmentBytes <= 0:
		return nil, fmt.Errorf("max segment bytes must be positive")
	case cfg.Heartbeat <= 0 || cfg.JobTimeout <= 0 || cfg.AITimeout <= 0:
		return nil, fmt.Errorf("heartbeat, job timeout and AI timeout must be positive")
	case cfg.MaxAIRequestBytes <= 0:
		return nil, fmt.Errorf("max AI request bytes must be positive")
	case cfg.Signer == nil:
		return nil, fmt.Errorf("a signing key must be set")
	}
	s := &Server{
		cfg: cfg, sessions: sessions, pool: pool, payments: payments, logger: logger.With("component", "rpc"),
		// Audio is measured with ffprobe to bill audio-to-text by its length.
		decoder: pipeline.Decoder{Limits: pipeline.DefaultLimits(), Audio: pipeline.FFprobe{}},
	}
	s.hub = &hub{server: s}
	return s, nil
}

// Register adds both services to g.
func (s *Server) Register(g *grpc.Server) {
	pb.RegisterOrchestratorServer(g, s)
	pb.RegisterWorkerHubServer(g, s.hub)
}
