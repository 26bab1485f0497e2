package rpc

import (
	"context"
	"fmt"
	"log/slog"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"google.golang.org/grpc"

	"github.com/castmesh/castmesh/payments/ticket"

	"github.com/castmesh/castmesh/orchestrator/session"
	"github.com/castmesh/castmesh/orchestrator/workers"
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
}

// Payments is the orchestrator's billing.
type Payments interface {
	// Address is the orchestrator's Ethereum address, the tickets' recipient.
	Address() common.Address
	// Price is what a new session pays per output pixel, in wei.
	Price() *big.Rat
	// Params are fresh ticket params for sender.
	Params(ctx context.Context, sender common.Address) (*ticket.Params, error)
	// Accept credits a payment, checks the session covers the work and
	// holds its fee; it returns the hold.
	Accept(ctx context.Context, session string, p *ticket.Payment, pixels int64) (*big.Rat, error)
	// Charge ends a hold and bills the session for the pixels made; it
	// returns the balance.
	Charge(ctx context.Context, sender common.Address, session string, held *big.Rat, pixels int64) (*big.Rat, error)
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
}

// New makes the adapter; payments is nil when payments are off.
func New(cfg Config, sessions *session.Manager, pool *workers.Pool, payments Payments, logger *slog.Logger) (*Server, error) {
	switch {
	case cfg.WorkerSecret == "":
		return nil, fmt.Errorf("worker secret must be set")
	case cfg.MaxSegmentBytes <= 0:
		return nil, fmt.Errorf("max segment bytes must be positive")
	case cfg.Heartbeat <= 0 || cfg.JobTimeout <= 0:
		return nil, fmt.Errorf("heartbeat and job timeout must be positive")
	}
	s := &Server{cfg: cfg, sessions: sessions, pool: pool, payments: payments, logger: logger.With("component", "rpc")}
	s.hub = &hub{server: s}
	return s, nil
}

// Register adds both services to g.
func (s *Server) Register(g *grpc.Server) {
	pb.RegisterOrchestratorServer(g, s)
	pb.RegisterWorkerHubServer(g, s.hub)
}
