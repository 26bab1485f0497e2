package orchclient

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"math/big"
	"time"

	"github.com/castmesh/castmesh/payments/ticket"
	pb "github.com/castmesh/castmesh/proto/castmesh/v1"
	"github.com/castmesh/castmesh/proto/convert"
)

// AIRequest is one AI request: the caller's body for the pipeline.
type AIRequest struct {
	ID          string
	Pipeline    string
	ModelID     string
	ContentType string
	Body        []byte
}

// AIResult is an AI request's outcome once its answer is through.
type AIResult struct {
	Elapsed time.Duration
	// BilledUnits and Balance are what the orchestrator charged and the
	// session's credit after, as it reports them (payments on).
	BilledUnits int64
	Balance     *big.Rat
	Info        Info
}

// AIOutput takes part of an answer; contentType is set with the first.
type AIOutput func(contentType string, data []byte) error

// AI sends an AI request with its payment (nil when payments are off),
// passes the answer to out as it arrives and returns once it is whole.
// started reports whether any of the answer reached out: a request that
// failed before that may be tried elsewhere.
func (c *Client) AI(ctx context.Context, tok Token, req AIRequest, pay *ticket.Payment, out AIOutput) (res AIResult, started bool, err error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := c.rpc.AI(ctx)
	if err != nil {
		return AIResult{}, false, fromStatus(err)
	}
	if err := uploadAI(stream, tok, req, pay); err != nil {
		if _, rerr := stream.Recv(); rerr != nil && !errors.Is(rerr, io.EOF) {
			return AIResult{}, false, fromStatus(rerr)
		}
		return AIResult{}, false, fromStatus(err)
	}
	return receiveAI(stream, out)
}

func uploadAI(stream pb.Orchestrator_AIClient, tok Token, req AIRequest, pay *ticket.Payment) error {
	sum := sha256.Sum256(req.Body)
	h := &pb.AIHeader{
		AuthToken: tokenToPB(tok), Pipeline: req.Pipeline, ModelId: req.ModelID, ContentType: req.ContentType,
		Size: int64(len(req.Body)), Sha256: sum[:], Payment: convert.PaymentToPB(pay), RequestId: req.ID,
	}
	if err := stream.Send(&pb.AIRequest{Msg: &pb.AIRequest_Header{Header: h}}); err != nil {
		return err
	}
	err := sendChunks(req.Body, func(chunk []byte) error {
		return stream.Send(&pb.AIRequest{Msg: &pb.AIRequest_Chunk{Chunk: chunk}})
	})
	if err != nil {
		return err
	}
	return stream.CloseSend()
}

func receiveAI(stream pb.Orchestrator_AIClient, out AIOutput) (AIResult, bool, error) {
	var res AIResult
	started := false
	for {
		resp, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return AIResult{}, started, fmt.Errorf("%w: stream ended before Done", ErrProtocol)
		}
		if err != nil {
			return AIResult{}, started, fromStatus(err)
		}
		if resp.GetInfo() != nil {
			if res.Info, err = infoFromPB(resp.GetInfo()); err != nil {
				return AIResult{}, started, err
			}
		}
		switch ev := resp.GetEvent().(type) {
		case *pb.AIResponse_Result:
			started = true
			if err := out(ev.Result.GetContentType(), ev.Result.GetData()); err != nil {
				return AIResult{}, started, err
			}
		case *pb.AIResponse_Done:
			res.Elapsed = time.Duration(ev.Done.GetElapsedMs()) * time.Millisecond
			res.BilledUnits = int64(ev.Done.GetBilledUnits()) //nolint:gosec // a count
			if b := ev.Done.GetBalance(); b != "" {
				var ok bool
				if res.Balance, ok = new(big.Rat).SetString(b); !ok {
					return AIResult{}, started, fmt.Errorf("%w: balance %q", ErrProtocol, b)
				}
			}
			return res, started, nil
		}
	}
}
