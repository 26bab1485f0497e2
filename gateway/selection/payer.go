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
	Pay(ctx context.Context, req sender.Request) (*ticket.Payment, error)
	Charge(ctx context.Context, key balance.Key, fee *big.Rat) (balance.Balance, error)
	Refund(ctx context.Context, key balance.Key, p *ticket.Payment) error
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
	// estimate is an upper bound of the output pixels (payments on).
	estimate int64
}

func (s *Selector) newJob(streamID string, seg media.Segment, profiles []media.Profile) (*job, error) {
	j := &job{streamID: streamID, seg: seg, profiles: profiles}
	if s.pay.Payer == nil {
		return j, nil
	}
	info, err := media.ProbeTS(seg.Data)
	if err != nil {
		return nil, err
	}
	j.estimate = media.EstimatePixels(info.Video, profiles)
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
// it must name its address, params and a price within the maximum.
func (s *Selector) affordable(info orchclient.Info) bool {
	if s.pay.Payer == nil {
		return true
	}
	if info.Params == nil || info.Price == nil || info.EthAddress == (common.Address{}) {
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
	fee := new(big.Rat).Mul(info.Price, new(big.Rat).SetInt64(j.estimate))
	return s.pay.Payer.Pay(ctx, sender.Request{
		Orchestrator: info.EthAddress, Session: info.Token.SessionID, Params: info.Params,
		Price: info.Price, MaxPrice: s.pay.MaxPrice, Fee: fee,
	})
}

// settle charges the session for the pixels actually delivered, counted
// from the renditions themselves, not from what the orchestrator says.
func (s *Selector) settle(ctx context.Context, o orchestrator, info orchclient.Info, j *job, pay *ticket.Payment, res orchclient.Result) error {
	if pay == nil {
		return nil
	}
	delivered, err := deliveredPixels(res.Renditions)
	if err != nil {
		return fmt.Errorf("%w: %w", orchclient.ErrProtocol, err)
	}
	if res.BilledPixels > delivered {
		s.metrics.overbilled.Inc()
		s.logger.Warn("orchestrator billed more pixels than it delivered", "orchestrator", o.Addr(),
			"billed", res.BilledPixels, "delivered", delivered, "seq", j.seg.Seq)
	}
	s.metrics.pixels.WithLabelValues(o.Addr()).Add(float64(delivered))
	fee := new(big.Rat).Mul(pay.ExpectedPrice, new(big.Rat).SetInt64(delivered))
	_, err = s.pay.Payer.Charge(ctx, key(info), fee)
	return err
}

// deliveredPixels probes each rendition: w × h × frames of what is there.
func deliveredPixels(rs []media.Rendition) (int64, error) {
	var n int64
	for _, r := range rs {
		var v media.VideoInfo
		if r.Container == media.FMP4 {
			info, err := media.ProbeFMP4(r.Init, r.Data)
			if err != nil {
				return 0, fmt.Errorf("rendition %s: %w", r.Profile.Name, err)
			}
			v = info.Video
		} else {
			info, err := media.ProbeTS(r.Data)
			if err != nil {
				return 0, fmt.Errorf("rendition %s: %w", r.Profile.Name, err)
			}
			v = info.Video
		}
		n += int64(v.Width) * int64(v.Height) * v.Frames
	}
	return n, nil
}

// refund takes back the credit of a payment the orchestrator refused.
func (s *Selector) refund(ctx context.Context, info orchclient.Info, pay *ticket.Payment) {
	if pay == nil {
		return
	}
	if err := s.pay.Payer.Refund(ctx, key(info), pay); err != nil {
		s.logger.Warn("refund of a refused payment failed", "err", err)
	}
}
