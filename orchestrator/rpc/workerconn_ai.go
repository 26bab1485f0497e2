package rpc

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/castmesh/castmesh/orchestrator/workers"
	pb "github.com/castmesh/castmesh/proto/castmesh/v1"
	"github.com/castmesh/castmesh/proto/convert"
)

// pendingAI is an AI job waiting for its answer. The worker's stream is
// read by one goroutine for every job, so its chunks queue here and the
// job's own goroutine passes them on: a slow gateway holds up only its
// own request.
type pendingAI struct {
	notify chan struct{} // a token when chunks or the end arrive

	mu          sync.Mutex
	contentType string
	chunks      [][]byte
	bytes       int64
	ended       bool
	elapsed     time.Duration
	err         error
}

func (p *pendingAI) signal() {
	select {
	case p.notify <- struct{}{}:
	default:
	}
}

// add queues a chunk; it fails the job when the answer outgrows max bytes.
func (p *pendingAI) add(out *pb.AIJobOutput, maxBytes int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ended {
		return
	}
	if p.contentType == "" {
		p.contentType = out.GetContentType()
	}
	p.bytes += int64(len(out.GetData()))
	if p.bytes > maxBytes {
		p.ended, p.err = true, &workers.JobError{Message: fmt.Sprintf("answer larger than %d bytes", maxBytes)}
	} else {
		p.chunks = append(p.chunks, out.GetData())
	}
	p.signal()
}

func (p *pendingAI) end(elapsed time.Duration, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.ended {
		p.ended, p.elapsed, p.err = true, elapsed, err
	}
	p.signal()
}

// take returns the queued chunks and whether the job ended.
func (p *pendingAI) take() (ct string, chunks [][]byte, ended bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	chunks, p.chunks = p.chunks, nil
	return p.contentType, chunks, p.ended
}

// AI sends an AI job and passes its answer to out as it arrives.
func (c *workerConn) AI(ctx context.Context, job workers.AIJob, out workers.AIOutput) (time.Duration, error) {
	p := &pendingAI{notify: make(chan struct{}, 1)}
	c.mu.Lock()
	select {
	case <-c.closed:
		c.mu.Unlock()
		return 0, workers.ErrWorkerGone
	default:
	}
	c.ai[job.ID] = p
	c.mu.Unlock()
	defer c.forgetAI(job.ID)

	if err := c.sendAIJob(job); err != nil {
		return 0, fmt.Errorf("%w: %w", workers.ErrWorkerGone, err)
	}
	first := true
	for {
		select {
		case <-p.notify:
		case <-c.closed:
			return 0, workers.ErrWorkerGone
		case <-ctx.Done():
			_ = c.send(&pb.ConnectResponse{Msg: &pb.ConnectResponse_Cancel{Cancel: &pb.JobCancel{JobId: job.ID}}})
			return 0, ctx.Err()
		}
		ct, chunks, ended := p.take()
		for _, data := range chunks {
			if err := out(contentTypeOnce(ct, &first), data); err != nil {
				_ = c.send(&pb.ConnectResponse{Msg: &pb.ConnectResponse_Cancel{Cancel: &pb.JobCancel{JobId: job.ID}}})
				return 0, err
			}
		}
		if ended {
			p.mu.Lock()
			defer p.mu.Unlock()
			return p.elapsed, p.err
		}
	}
}

func contentTypeOnce(ct string, first *bool) string {
	if !*first {
		return ""
	}
	*first = false
	return ct
}

func (c *workerConn) sendAIJob(job workers.AIJob) error {
	start := &pb.AIJobStart{
		JobId: job.ID, Pipeline: job.Pipeline, ModelId: job.ModelID, ContentType: job.ContentType,
		Size: int64(len(job.Body)), RequestId: job.RequestID,
	}
	if err := c.send(&pb.ConnectResponse{Msg: &pb.ConnectResponse_AiJob{AiJob: start}}); err != nil {
		return err
	}
	data := job.Body
	for {
		n := min(len(data), convert.ChunkSize)
		in := &pb.JobInput{JobId: job.ID, Data: data[:n], Last: n == len(data)}
		if err := c.send(&pb.ConnectResponse{Msg: &pb.ConnectResponse_Input{Input: in}}); err != nil {
			return err
		}
		if data = data[n:]; len(data) == 0 {
			return nil
		}
	}
}

func (c *workerConn) forgetAI(id uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.ai, id)
}

func (c *workerConn) lookupAI(id uint64) *pendingAI {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ai[id]
}

// aiDone ends an AI job as its worker reported.
func (c *workerConn) aiDone(p *pendingAI, d *pb.JobDone) {
	elapsed := time.Duration(d.GetTranscodeMs()) * time.Millisecond
	e := d.GetError()
	if e == nil {
		p.end(elapsed, nil)
		return
	}
	je := &workers.JobError{Message: e.GetMessage()}
	switch e.GetCode() {
	case pb.JobErrorCode_JOB_ERROR_CODE_INPUT:
		je.Input = true
	case pb.JobErrorCode_JOB_ERROR_CODE_UNSUPPORTED_MEDIA:
		je.Input, je.UnsupportedMedia = true, true
	case pb.JobErrorCode_JOB_ERROR_CODE_BUSY:
		je.Busy = true
	}
	p.end(elapsed, je)
}

// errNotAIJob marks AI output for a job that is not an AI job.
var errNotAIJob = errors.New("AI output for a job that is not an AI job")
