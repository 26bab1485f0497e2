package rpc

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/castmesh/castmesh/orchestrator/pricing"
	"github.com/castmesh/castmesh/orchestrator/workers"
	"github.com/castmesh/castmesh/payments/ticket"
	"github.com/castmesh/castmesh/pkg/attest"
	"github.com/castmesh/castmesh/pkg/media"
	pb "github.com/castmesh/castmesh/proto/castmesh/v1"
	"github.com/castmesh/castmesh/proto/convert"
)

// maxSegmentDuration is the longest segment accepted, as Livepeer's 5 min.
const maxSegmentDuration = 5 * time.Minute

// upload is a received, checked segment.
type upload struct {
	job     workers.Job
	session string
	// streamID is the gateway's, as the renditions' signature names it.
	streamID string
	// payment is nil when payments are off; held is the credit it holds.
	payment *ticket.Payment
	held    *big.Rat
}

// release ends the hold of an upload whose work was not done.
func (s *Server) release(up *upload) {
	if up.held != nil {
		s.payments.Release(up.payment.Sender, up.session, up.held)
	}
}

// sender is who made a payment; zero for none.
func sender(p *ticket.Payment) common.Address {
	if p == nil {
		return common.Address{}
	}
	return p.Sender
}

// Transcode receives one segment, has a worker transcode it and streams the
// renditions back.
func (s *Server) Transcode(stream pb.Orchestrator_TranscodeServer) error {
	ctx := stream.Context()
	up, err := s.receive(stream)
	if err != nil {
		return toStatus(err)
	}
	charged := false
	defer func() {
		if !charged {
			s.release(up)
		}
	}()
	logger := s.logger.With("stream", up.job.StreamID, "seq", up.job.Seq)
	info, err := s.info(ctx, up.session, sender(up.payment))
	if err != nil {
		return toStatus(err)
	}
	accepted := &pb.TranscodeResponse{Event: &pb.TranscodeResponse_Accepted{Accepted: &pb.Accepted{Seq: up.job.Seq}}, Info: info}
	if err := stream.Send(accepted); err != nil {
		return err
	}
	jctx, cancel := context.WithTimeout(ctx, s.cfg.JobTimeout)
	defer cancel()
	res, err := s.pool.Transcode(jctx, up.job)
	if err != nil {
		logger.Warn("segment failed", "err", err)
		return toStatus(err)
	}
	done := &pb.TranscodeDone{Seq: up.job.Seq, TranscodeMs: res.Elapsed.Milliseconds()}
	if done.Signature, err = attest.Sign(s.cfg.Signer, up.streamID, up.job.Seq, res.Renditions); err != nil {
		return toStatus(err)
	}
	if s.payments != nil {
		pixels := media.Pixels(res.Renditions)
		balance, err := s.payments.Charge(ctx, up.payment.Sender, up.session, up.held, pixels)
		if err != nil {
			return toStatus(err)
		}
		charged = true
		done.BilledPixels, done.Balance = uint64(pixels), balance.RatString() //nolint:gosec // pixels ≥ 0
	}
	for i, r := range res.Renditions {
		err := convert.SendRendition(i, r, func(c *pb.RenditionChunk) error {
			return stream.Send(&pb.TranscodeResponse{Event: &pb.TranscodeResponse_Rendition{Rendition: c}})
		})
		if err != nil {
			return err
		}
	}
	if info, err = s.info(ctx, up.session, sender(up.payment)); err != nil {
		return toStatus(err)
	}
	logger.Debug("segment done", "worker", res.WorkerID, "elapsed", res.Elapsed)
	return stream.Send(&pb.TranscodeResponse{Event: &pb.TranscodeResponse_Done{Done: done}, Info: info})
}

// receive reads and checks the header, the segment bytes and the payment.
func (s *Server) receive(stream pb.Orchestrator_TranscodeServer) (*upload, error) {
	first, err := stream.Recv()
	if err != nil {
		return nil, err
	}
	h := first.GetHeader()
	if h == nil {
		return nil, errNoHeader
	}
	tok := tokenFromPB(h.GetAuthToken())
	if err := s.sessions.Verify(tok); err != nil {
		return nil, err
	}
	up := &upload{session: tok.SessionID}
	if up.job, err = checkHeader(h, s.cfg.MaxSegmentBytes); err != nil {
		return nil, err
	}
	// Stream ids are the gateway's; the session keeps two gateways' apart.
	up.streamID = h.GetStreamId()
	up.job.StreamID = tok.SessionID + "/" + up.streamID
	if s.payments != nil {
		if h.GetPayment() == nil {
			return nil, errPaymentRequired
		}
		if up.payment, err = convert.PaymentFromPB(h.GetPayment()); err != nil {
			return nil, err
		}
	}
	next := func() ([]byte, error) {
		m, err := stream.Recv()
		return m.GetChunk(), err
	}
	if up.job.Input, err = receiveData(next, h.GetSize(), h.GetSha256()); err != nil {
		return nil, err
	}
	if err := s.pay(stream.Context(), up); err != nil {
		return nil, err
	}
	// Only a whole, well-formed, paid upload counts against the session limit.
	if err := s.sessions.Acquire(tok.SessionID); err != nil {
		s.release(up)
		return nil, err
	}
	return up, nil
}

// checkHeader checks a segment header and returns its job, input to come.
func checkHeader(h *pb.SegmentHeader, maxBytes int64) (workers.Job, error) {
	profiles, err := convert.ProfilesFromPB(h.GetProfiles())
	if err == nil {
		err = media.ValidateLadder(profiles)
	}
	if err != nil {
		return workers.Job{}, &profileError{err}
	}
	duration := time.Duration(h.GetDurationMs()) * time.Millisecond
	if duration <= 0 || duration > maxSegmentDuration {
		return workers.Job{}, fmt.Errorf("%w: %s", errBadDuration, duration)
	}
	if h.GetSize() <= 0 || h.GetSize() > maxBytes {
		return workers.Job{}, fmt.Errorf("%w: %d bytes, limit %d", errTooLarge, h.GetSize(), maxBytes)
	}
	return workers.Job{Seq: h.GetSeq(), Duration: duration, Profiles: profiles}, nil
}

// pay checks the segment is MPEG-TS and, with payments on, credits its
// payment and checks the session covers the work's estimated pixels.
func (s *Server) pay(ctx context.Context, up *upload) error {
	if s.payments == nil {
		return media.CheckTSFraming(up.job.Input)
	}
	info, err := media.ProbeTS(up.job.Input)
	if err != nil {
		return err
	}
	ask, _ := s.payments.Price(pricing.Transcode, "")
	up.held, err = s.payments.Accept(ctx, up.session, up.payment, ask, media.EstimatePixels(info.Video, up.job.Profiles))
	return err
}

// receiveData reads size bytes of upload chunks from next and checks
// their SHA-256.
func receiveData(next func() ([]byte, error), size int64, sum []byte) ([]byte, error) {
	data := make([]byte, 0, size)
	for int64(len(data)) < size {
		chunk, err := next()
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%w: got %d of %d bytes", errSizeMismatch, len(data), size)
		}
		if err != nil {
			return nil, err
		}
		if int64(len(data)+len(chunk)) > size || chunk == nil {
			return nil, errSizeMismatch
		}
		data = append(data, chunk...)
	}
	if got := sha256.Sum256(data); !bytes.Equal(got[:], sum) {
		return nil, errHashMismatch
	}
	return data, nil
}
