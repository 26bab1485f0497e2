package redeemer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"

	"github.com/castmesh/castmesh/payments/ticket"
)

// Redemption is a redeemed ticket's transaction.
type Redemption struct {
	TxHash common.Hash
	// Paid is what the recipient received (less than the face value when
	// the sender's funds ran short).
	Paid *big.Int
}

// Broker is what the redeemer needs of the chain.
type Broker interface {
	BlockNumber(ctx context.Context) (uint64, error)
	Redeem(ctx context.Context, w ticket.Winner) (Redemption, error)
	IsUsed(ctx context.Context, hash common.Hash) (bool, error)
	// TicketValidity is how many blocks past its expiration block the
	// broker honours a ticket.
	TicketValidity(ctx context.Context) (uint64, error)
}

// Config tunes the redeemer.
type Config struct {
	// Interval is how often due tickets are looked for.
	Interval time.Duration `yaml:"interval"`
}

// DefaultConfig returns the defaults.
func DefaultConfig() Config {
	// A second: the devnet's block time; on slower chains a round simply
	// finds nothing new.
	return Config{Interval: time.Second}
}

// Redeemer redeems the queue's due tickets.
type Redeemer struct {
	cfg     Config
	queue   *Queue
	broker  Broker
	logger  *slog.Logger
	metrics *Metrics
}

// Metrics are the redeemer's Prometheus metrics.
type Metrics struct {
	outcomes *prometheus.CounterVec
	paid     prometheus.Counter
}

// NewMetrics registers the metrics with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	f := promauto.With(reg)
	return &Metrics{
		outcomes: f.NewCounterVec(prometheus.CounterOpts{
			Name: "castmesh_orchestrator_redemptions_total", Help: "Redemption attempts by outcome (redeemed, used, failed, retry).",
		}, []string{"outcome"}),
		paid: f.NewCounter(prometheus.CounterOpts{
			Name: "castmesh_orchestrator_redeemed_wei_total", Help: "Wei received from redeemed tickets.",
		}),
	}
}

// New makes a redeemer.
func New(cfg Config, q *Queue, b Broker, logger *slog.Logger, m *Metrics) (*Redeemer, error) {
	if cfg.Interval <= 0 {
		return nil, errors.New("redeemer interval must be positive")
	}
	return &Redeemer{cfg: cfg, queue: q, broker: b, logger: logger.With("component", "redeemer"), metrics: m}, nil
}

// Run redeems due tickets every Interval until ctx ends.
func (r *Redeemer) Run(ctx context.Context) error {
	t := time.NewTicker(r.cfg.Interval)
	defer t.Stop()
	for {
		if err := r.Round(ctx); err != nil && ctx.Err() == nil {
			r.logger.Warn("redemption round failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// Round redeems every ticket due now.
func (r *Redeemer) Round(ctx context.Context) error {
	block, err := r.broker.BlockNumber(ctx)
	if err != nil {
		return fmt.Errorf("block number: %w", err)
	}
	due, err := r.queue.Due(ctx, block)
	if err != nil {
		return err
	}
	for _, e := range due {
		if err := r.redeem(ctx, e, block); err != nil {
			return err
		}
	}
	return nil
}

func (r *Redeemer) redeem(ctx context.Context, e Entry, block uint64) error {
	log := r.logger.With("ticket", e.Hash.Hex(), "sender", e.Winner.Ticket.Sender.Hex())
	red, err := r.broker.Redeem(ctx, e.Winner)
	if err == nil {
		log.Info("ticket redeemed", "tx", red.TxHash.Hex(), "paid", red.Paid)
		r.metrics.outcomes.WithLabelValues("redeemed").Inc()
		if f, _ := new(big.Float).SetInt(red.Paid).Float64(); f > 0 {
			r.metrics.paid.Add(f)
		}
		return r.queue.finish(ctx, e, Redeemed, red.TxHash, red.Paid, "")
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	// Ask the chain what is true rather than guess from the error.
	if used, uerr := r.broker.IsUsed(ctx, e.Hash); uerr == nil && used {
		log.Info("ticket already redeemed on chain", "attempt_error", err)
		r.metrics.outcomes.WithLabelValues("used").Inc()
		return r.queue.finish(ctx, e, Used, common.Hash{}, nil, err.Error())
	}
	validity, verr := r.broker.TicketValidity(ctx)
	if verr == nil && block > e.Winner.Ticket.ExpirationBlock+validity {
		log.Warn("winning ticket can no longer be redeemed", "err", err)
		r.metrics.outcomes.WithLabelValues("failed").Inc()
		return r.queue.finish(ctx, e, Failed, common.Hash{}, nil, err.Error())
	}
	log.Warn("redemption failed; will retry", "err", err, "tries", e.Tries+1)
	r.metrics.outcomes.WithLabelValues("retry").Inc()
	return r.queue.retry(ctx, e, err.Error())
}
