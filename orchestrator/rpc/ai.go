package rpc

import (
	"bytes"
	"context"
	"fmt"
	"math/big"

	"github.com/castmesh/castmesh/ai/pipeline"
	"github.com/castmesh/castmesh/orchestrator/workers"
	"github.com/castmesh/castmesh/payments/ticket"
	pb "github.com/castmesh/castmesh/proto/castmesh/v1"
	"github.com/castmesh/castmesh/proto/convert"
)

// aiUpload is a received, checked, paid AI request.
type aiUpload struct {
	job     workers.AIJob
	req     pipeline.Request
	session string // the token's session
	// billing is the balance session: one per session, pipeline and model,
	// so each has its own fixed price.
	billing string
	payment *ticket.Payment
	held    *big.Rat
}

func (u *aiUpload) release(s *Server) {
	if u.held != nil {
		s.payments.Release(u.payment.Sender, u.billing, u.held)
	}
}

// AI receives one AI request, has a worker run it and streams the answer
// back as it comes.
func (s *Server) AI(stream pb.Orchestrator_AIServer) error {
	ctx := stream.Context()
	up, err := s.receiveAI(stream)
	if err != nil {
		return toStatus(err)
	}
	charged := false
	defer func() {
		if !charged {
			up.release(s)
		}
	}()
	info, err := s.info(ctx, up.session, sender(up.payment))
	if err != nil {
		return toStatus(err)
	}
	accepted := &pb.AIResponse{Event: &pb.AIResponse_Accepted{Accepted: &pb.AIAccepted{RequestId: up.job.RequestID}}, Info: info}
	if err := stream.Send(accepted); err != nil {
		return err
	}
	// An llm answer is billed by what it holds, so keep a copy of it.
	var answer bytes.Buffer
	var contentType string
	keep := up.job.Pipeline == string(pipeline.LLM)
	jctx, cancel := context.WithTimeout(ctx, s.cfg.AITimeout)
	defer cancel()
	res, err := s.pool.RunAI(jctx, up.job, func(ct string, data []byte) error {
		if ct != "" {
			contentType = ct
		}
		if keep {
			answer.Write(data)
		}
		return stream.Send(&pb.AIResponse{Event: &pb.AIResponse_Result{Result: &pb.AIResult{Data: data, ContentType: ct}}})
	})
	if err != nil {
		s.logger.Warn("AI request failed", "request", up.job.RequestID, "pipeline", up.job.Pipeline, "model", up.job.ModelID, "err", err)
		return toStatus(err)
	}
	done := &pb.AIDone{ElapsedMs: res.Elapsed.Milliseconds()}
	if s.payments != nil {
		units := up.req.Units()
		if llm, ok := up.req.(*pipeline.LLMParams); ok {
			units = pipeline.LLMAnswerUnits(llm, contentType, answer.Bytes())
		}
		balance, err := s.payments.Charge(ctx, up.payment.Sender, up.billing, up.held, units)
		if err != nil {
			return toStatus(err)
		}
		charged = true
		done.BilledUnits, done.Balance = uint64(units), balance.RatString() //nolint:gosec // units ≥ 0
	}
	if info, err = s.info(ctx, up.session, sender(up.payment)); err != nil {
		return toStatus(err)
	}
	return stream.Send(&pb.AIResponse{Event: &pb.AIResponse_Done{Done: done}, Info: info})
}

// receiveAI reads and checks the header, the body and the payment. The
// body is decoded as the pipeline's request before anything is paid for
// or run, so a request no runner would take costs nothing.
func (s *Server) receiveAI(stream pb.Orchestrator_AIServer) (*aiUpload, error) {
	first, err := stream.Recv()
	if err != nil {
		return nil, err
	}
	h := first.GetHeader()
	if h == nil {
		return nil, errNoAIHeader
	}
	tok := tokenFromPB(h.GetAuthToken())
	if err := s.sessions.Verify(tok); err != nil {
		return nil, err
	}
	name, ok := pipeline.Parse(h.GetPipeline())
	if !ok || h.GetModelId() == "" {
		return nil, fmt.Errorf("%w: pipeline %q, model %q", errBadAIHeader, h.GetPipeline(), h.GetModelId())
	}
	if h.GetSize() <= 0 || h.GetSize() > s.cfg.MaxAIRequestBytes {
		return nil, fmt.Errorf("%w: %d bytes, limit %d", errTooLarge, h.GetSize(), s.cfg.MaxAIRequestBytes)
	}
	up := &aiUpload{session: tok.SessionID, billing: tok.SessionID + "/ai/" + string(name) + "/" + h.GetModelId()}
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
	body, err := receiveData(next, h.GetSize(), h.GetSha256())
	if err != nil {
		return nil, err
	}
	if up.req, err = s.decoder.Decode(stream.Context(), name, h.GetContentType(), body); err != nil {
		return nil, err
	}
	if m := up.req.Model(); m != "" && m != h.GetModelId() {
		return nil, fmt.Errorf("%w: the body asks for %s, the header for %s", pipeline.ErrWrongModel, m, h.GetModelId())
	}
	up.job = workers.AIJob{
		RequestID: h.GetRequestId(), Pipeline: string(name), ModelID: h.GetModelId(), ContentType: h.GetContentType(), Body: body,
	}
	return up, s.payAI(stream.Context(), up)
}

// payAI credits the request's payment and holds its estimated fee.
func (s *Server) payAI(ctx context.Context, up *aiUpload) error {
	if s.payments == nil {
		return nil
	}
	ask, ok := s.payments.Price(up.job.Pipeline, up.job.ModelID)
	if !ok {
		return fmt.Errorf("%w: %s %s", errNotPriced, up.job.Pipeline, up.job.ModelID)
	}
	var err error
	up.held, err = s.payments.Accept(ctx, up.billing, up.payment, ask, up.req.Units())
	return err
}
