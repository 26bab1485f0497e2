package recipient

import (
	"errors"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"

	"github.com/castmesh/castmesh/payments/balance"
	"github.com/castmesh/castmesh/payments/ticket"
)

// Metrics are the recipient's Prometheus metrics.
type Metrics struct {
	payments *prometheus.CounterVec
	tickets  prometheus.Counter
	winners  prometheus.Counter
}

// NewMetrics registers the metrics with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	f := promauto.With(reg)
	return &Metrics{
		payments: f.NewCounterVec(prometheus.CounterOpts{
			Name: "castmesh_orchestrator_payments_total", Help: "Payments received, by outcome.",
		}, []string{"outcome"}),
		tickets: f.NewCounter(prometheus.CounterOpts{
			Name: "castmesh_orchestrator_tickets_credited_total", Help: "Tickets whose EV was credited.",
		}),
		winners: f.NewCounter(prometheus.CounterOpts{
			Name: "castmesh_orchestrator_winning_tickets_total", Help: "Winning tickets queued for redemption.",
		}),
	}
}

// reason names an outcome for the metrics.
func reason(err error) string {
	for _, c := range []struct {
		err  error
		name string
	}{
		{ErrWrongRecipient, "wrong_recipient"},
		{ErrWrongChain, "wrong_chain"},
		{ErrWrongRand, "wrong_rand"},
		{ErrSenderUnlocking, "sender_unlocking"},
		{ErrNoSenderFunds, "no_sender_funds"},
		{ErrNonceReplay, "nonce_replay"},
		{ErrTooManyNonces, "too_many_nonces"},
		{ErrParamsExpired, "params_expired"},
		{ErrPriceTooLow, "price_too_low"},
		{balance.ErrPriceChanged, "price_changed"},
		{ticket.ErrHighS, "high_s"},
		{ticket.ErrBadSignature, "bad_signature"},
		{ticket.ErrBadV, "bad_signature"},
		{ticket.ErrSignatureLength, "bad_signature"},
		{ticket.ErrBadField, "malformed"},
	} {
		if errors.Is(err, c.err) {
			return c.name
		}
	}
	if err != nil {
		return "error"
	}
	return "ok"
}
