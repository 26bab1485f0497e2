package hubclient

import (
	"context"
	"errors"
	"time"

	pb "github.com/castmesh/castmesh/proto/castmesh/v1"
	"github.com/castmesh/castmesh/proto/convert"
)

// runAI runs one AI job and streams its answer back. AI jobs do not take
// transcode slots: each model bounds its own concurrency (AIRunner).
func (s *session) runAI(ctx context.Context, id uint64, j *job) {
	defer func() {
		s.mu.Lock()
		delete(s.jobs, id)
		s.mu.Unlock()
	}()
	s.client.metrics.inFlight.Inc()
	defer s.client.metrics.inFlight.Dec()
	start := time.Now()
	sendErr := error(nil)
	err := s.client.ai.Run(ctx, AIJob{
		RequestID: j.ai.GetRequestId(), Pipeline: j.ai.GetPipeline(), ModelID: j.ai.GetModelId(),
		ContentType: j.ai.GetContentType(), Body: j.input,
	}, func(contentType string, data []byte) error {
		for first := true; first || len(data) > 0; first = false {
			n := min(len(data), convert.ChunkSize)
			out := &pb.AIJobOutput{JobId: id, Data: data[:n], ContentType: contentType}
			if sendErr = s.send(&pb.ConnectRequest{Msg: &pb.ConnectRequest_AiOutput{AiOutput: out}}); sendErr != nil {
				return sendErr
			}
			contentType, data = "", data[n:]
		}
		return nil
	})
	s.client.metrics.observe(err, time.Since(start))
	if ctx.Err() != nil || sendErr != nil {
		return // cancelled, or the connection is gone: nobody to tell
	}
	done := &pb.JobDone{JobId: id, TranscodeMs: time.Since(start).Milliseconds()}
	if err != nil {
		s.client.logger.Warn("AI job failed", "request", j.ai.GetRequestId(), "pipeline", j.ai.GetPipeline(),
			"model", j.ai.GetModelId(), "err", err)
		done.Error = &pb.JobError{Code: aiErrorCode(err), Message: err.Error()}
	}
	_ = s.send(&pb.ConnectRequest{Msg: &pb.ConnectRequest_Done{Done: done}}) // a broken stream ends serve
}

func aiErrorCode(err error) pb.JobErrorCode {
	switch {
	case errors.Is(err, ErrUnsupportedMedia):
		return pb.JobErrorCode_JOB_ERROR_CODE_UNSUPPORTED_MEDIA
	case errors.Is(err, ErrBadInput):
		return pb.JobErrorCode_JOB_ERROR_CODE_INPUT
	case errors.Is(err, ErrBusy):
		return pb.JobErrorCode_JOB_ERROR_CODE_BUSY
	}
	return pb.JobErrorCode_JOB_ERROR_CODE_INTERNAL
}
