package selection

import (
	"context"
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"

	"github.com/castmesh/castmesh/gateway/orchclient"
	"github.com/castmesh/castmesh/payments/balance"
	"github.com/castmesh/castmesh/payments/sender"
	"github.com/castmesh/castmesh/payments/ticket"
	"github.com/castmesh/castmesh/pkg/media"
)

// Payer pays orchestrators with tickets.
type Payer interface {
	Address() common.Address
	// Pay pays for a request, holding its fee of the session's credit.
	Pay(ctx context.Context, req sender.Request) (*ticket.Payment, error)
	// Settle ends the hold of a request with a result and debits its cost.
	Settle(ctx context.Context, key balance.Key, held, cost *big.Rat) (balance.Balance, error)
	// Release ends the hold of a request with no result; refused is its
	// payment when the orchestrator refused it.
	Release(ctx context.Context, key balance.Key, held *big.Rat, refused *ticket.Payment) error
}

// Payments is how the gateway pays; the zero value means payments are off.
type Payments struct {
	Payer Payer
	// MaxPrice is the most the gateway pays per output pixel, in wei; nil
	// means no limit.
	MaxPrice *big.Rat
}

// job is one segment to transcode, with what paying for it needs.
type job struct {
	streamID string
	seg      media.Segment
	profiles []media.Profile
	// src is the segment's video (payments or verification on), and
	// estimate an upper bound of the output pixels.
	src      media.VideoInfo
	estimate int64
}

// fee is what the job is paid for in advance at price.
func (j *job) fee(price *big.Rat) *big.Rat {
	return new(big.Rat).Mul(price, new(big.Rat).SetInt64(j.estimate))
}

func (s *Selector) newJob(streamID string, seg media.Segment, profiles []media.Profile) (*job, error) {
	j := &job{streamID: streamID, seg: seg, profiles: profiles}
	if s.pay.Payer == nil && !s.cfg.Verify {
		return j, nil
	}
	info, err := media.ProbeTS(seg.Data)
	if err != nil {
		return nil, err
	}
	j.src, j.estimate = info.Video, media.EstimatePixels(info.Video, profiles)
	return j, nil
}

// sender is the gateway's address when it pays, else zero.
func (s *Selector) sender() common.Address {
	if s.pay.Payer == nil {
		return common.Address{}
	}
	return s.pay.Payer.Address()
}

// affordable reports whether an orchestrator can be paid: with payments on
// it must name its address and a price within the maximum and, in the
// terms for a stream's session (withParams), ticket params. The
// directory's terms carry no params: they are asked without a sender.
func (s *Selector) affordable(info orchclient.Info, withParams bool) bool {
	if s.pay.Payer == nil {
		return true
	}
	if (withParams && info.Params == nil) || info.Price == nil || info.EthAddress == (common.Address{}) {
		return false
	}
	return s.pay.MaxPrice == nil || info.Price.Cmp(s.pay.MaxPrice) <= 0
}

// isFatalPayment reports errors no other orchestrator can get past: the
// gateway itself cannot pay.
func isFatalPayment(err error) bool {
	return errors.Is(err, sender.ErrNoDeposit) || errors.Is(err, sender.ErrUnlocking)
}

func key(info orchclient.Info) balance.Key { return sender.Key(info.EthAddress, info.Token.SessionID) }

// payFor makes the job's payment to the orchestrator; nil with payments off.
func (s *Selector) payFor(ctx context.Context, info orchclient.Info, j *job) (*ticket.Payment, error) {
	if s.pay.Payer == nil {
		return nil, nil //nolint:nilnil // no payment is the answer when payments are off
	}
	if info.Params == nil || info.Price == nil {
		return nil, fmt.Errorf("%w: the orchestrator offered no ticket params", sender.ErrBadParams)
	}
	return s.pay.Payer.Pay(ctx, sender.Request{
		Orchestrator: info.EthAddress, Session: info.Token.SessionID, Params: info.Params,
		Price: info.Price, MaxPrice: s.pay.MaxPrice, Fee: j.fee(info.Price),
	})
}

// settle charges the session for the pixels actually delivered, counted
// from the renditions themselves (check), not from what the orchestrator
// says.
func (s *Selector) settle(ctx context.Context, o orchestrator, info orchclient.Info, j *job, pay *ticket.Payment, res orchclient.Result, delivered int64) error {
	if pay == nil {
		return nil
	}
	if res.BilledPixels > delivered {
		s.metrics.overbilled.Inc()
		s.logger.Warn("orchestrator billed more pixels than it delivered", "orchestrator", o.Addr(),
			"billed", res.BilledPixels, "delivered", delivered, "seq", j.seg.Seq)
	}
	s.metrics.pixels.WithLabelValues(o.Addr()).Add(float64(delivered))
	cost := new(big.Rat).Mul(pay.ExpectedPrice, new(big.Rat).SetInt64(delivered))
	if _, err := s.pay.Payer.Settle(ctx, key(info), j.fee(info.Price), cost); err != nil {
		return err
	}
	if sp := spendOf(ctx); sp != nil {
		sp.add(cost)
	}
	return nil
}

// release ends the hold of a paid request that got no result; a refused
// payment's credit is taken back too.
func (s *Selector) release(ctx context.Context, info orchclient.Info, j *job, pay *ticket.Payment, refused bool) {
	if pay == nil {
		return
	}
	var back *ticket.Payment
	if refused {
		back = pay
	}
	if err := s.pay.Payer.Release(ctx, key(info), j.fee(info.Price), back); err != nil {
		s.logger.Warn("releasing a payment hold failed", "err", err)
	}
}
