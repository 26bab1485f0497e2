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

// workerConn drives one worker's stream: it implements workers.Conn.
// Sends are serialized (a gRPC stream allows one sender at a time); results
// are routed to the waiting job by id.
type workerConn struct {
	stream   pb.WorkerHub_ConnectServer
	id       string
	maxBytes int64

	sendMu sync.Mutex

	mu      sync.Mutex
	pending map[uint64]*pendingJob
	ai      map[uint64]*pendingAI
	closed  chan struct{}
	// onAI takes what the worker's heartbeats say of its AI models.
	onAI func([]workers.AIModel)
}

type pendingJob struct {
	asm     *convert.Assembler
	done    chan struct{}
	res     workers.Result
	err     error
	started time.Time
}

func newWorkerConn(stream pb.WorkerHub_ConnectServer, id string, maxBytes int64) *workerConn {
	return &workerConn{
		stream: stream, id: id, maxBytes: maxBytes, pending: map[uint64]*pendingJob{}, ai: map[uint64]*pendingAI{},
		closed: make(chan struct{}), onAI: func([]workers.AIModel) {},
	}
}

func (c *workerConn) send(msg *pb.ConnectResponse) error {
	c.sendMu.Lock()
	defer c.sendMu.Unlock()
	return c.stream.Send(msg)
}

// Transcode sends the job and waits for the worker's answer.
func (c *workerConn) Transcode(ctx context.Context, job workers.Job) (workers.Result, error) {
	p := &pendingJob{asm: convert.NewAssembler(job.Profiles, c.maxBytes), done: make(chan struct{}), started: time.Now()}
	c.mu.Lock()
	select {
	case <-c.closed:
		c.mu.Unlock()
		return workers.Result{}, workers.ErrWorkerGone
	default:
	}
	c.pending[job.ID] = p
	c.mu.Unlock()
	defer c.forget(job.ID)

	if err := c.sendJob(job); err != nil {
		return workers.Result{}, fmt.Errorf("%w: %w", workers.ErrWorkerGone, err)
	}
	select {
	case <-p.done:
		return p.res, p.err
	case <-c.closed:
		return workers.Result{}, workers.ErrWorkerGone
	case <-ctx.Done():
		// Best effort: the worker stops work nobody waits for.
		_ = c.send(&pb.ConnectResponse{Msg: &pb.ConnectResponse_Cancel{Cancel: &pb.JobCancel{JobId: job.ID}}})
		return workers.Result{}, ctx.Err()
	}
}

func (c *workerConn) sendJob(job workers.Job) error {
	start := &pb.JobStart{
		JobId: job.ID, StreamId: job.StreamID, Seq: job.Seq, DurationMs: job.Duration.Milliseconds(),
		Profiles: convert.ProfilesToPB(job.Profiles), Container: pb.Container_CONTAINER_MPEGTS, Size: int64(len(job.Input)),
	}
	if err := c.send(&pb.ConnectResponse{Msg: &pb.ConnectResponse_Job{Job: start}}); err != nil {
		return err
	}
	data := job.Input
	for len(data) > 0 {
		n := min(len(data), convert.ChunkSize)
		in := &pb.JobInput{JobId: job.ID, Data: data[:n], Last: n == len(data)}
		if err := c.send(&pb.ConnectResponse{Msg: &pb.ConnectResponse_Input{Input: in}}); err != nil {
			return err
		}
		data = data[n:]
	}
	return nil
}

func (c *workerConn) forget(id uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.pending, id)
}

// serve reads the worker's messages until the stream ends or the worker
// stays silent for timeout; then every job still pending fails.
func (c *workerConn) serve(timeout time.Duration) error {
	defer close(c.closed)
	msgs := make(chan *pb.ConnectRequest)
	errc := make(chan error, 1)
	ctx := c.stream.Context()
	go func() {
		for {
			m, err := c.stream.Recv()
			if err != nil {
				errc <- err
				return
			}
			select {
			case msgs <- m:
			case <-ctx.Done():
				return
			}
		}
	}()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		select {
		case m := <-msgs:
			timer.Reset(timeout)
			if err := c.handle(m); err != nil {
				return err
			}
		case err := <-errc:
			return err
		case <-timer.C:
			return errHeartbeatLost
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// errProtocol marks a worker that broke the protocol.
var errProtocol = errors.New("worker protocol violation")

func (c *workerConn) handle(m *pb.ConnectRequest) error {
	switch msg := m.GetMsg().(type) {
	case *pb.ConnectRequest_Output:
		p := c.lookup(msg.Output.GetJobId())
		if p == nil {
			return nil // a job that was cancelled or timed out
		}
		if err := p.asm.Add(msg.Output.GetChunk()); err != nil {
			c.complete(msg.Output.GetJobId(), workers.Result{}, &workers.JobError{Message: err.Error()})
		}
	case *pb.ConnectRequest_AiOutput:
		if c.lookup(msg.AiOutput.GetJobId()) != nil {
			return fmt.Errorf("%w: %w", errProtocol, errNotAIJob)
		}
		if p := c.lookupAI(msg.AiOutput.GetJobId()); p != nil {
			p.add(msg.AiOutput, c.maxBytes)
		}
	case *pb.ConnectRequest_Done:
		if p := c.lookupAI(msg.Done.GetJobId()); p != nil {
			c.aiDone(p, msg.Done)
			return nil
		}
		c.done(msg.Done)
	case *pb.ConnectRequest_Heartbeat:
		if ai := msg.Heartbeat.GetAi(); ai != nil {
			c.onAI(aiModelsFromPB(ai))
		}
	case *pb.ConnectRequest_Register:
		return fmt.Errorf("%w: second Register", errProtocol)
	}
	return nil
}

func (c *workerConn) done(d *pb.JobDone) {
	p := c.lookup(d.GetJobId())
	if p == nil {
		return
	}
	if e := d.GetError(); e != nil {
		c.complete(d.GetJobId(), workers.Result{}, &workers.JobError{
			Input: e.GetCode() == pb.JobErrorCode_JOB_ERROR_CODE_INPUT, Message: e.GetMessage(),
		})
		return
	}
	rs, err := p.asm.Renditions()
	if err != nil {
		c.complete(d.GetJobId(), workers.Result{}, &workers.JobError{Message: err.Error()})
		return
	}
	c.complete(d.GetJobId(), workers.Result{
		Renditions: rs, Elapsed: time.Duration(d.GetTranscodeMs()) * time.Millisecond,
	}, nil)
}

func (c *workerConn) lookup(id uint64) *pendingJob {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.pending[id]
}

// complete finishes a pending job once; later messages for it are ignored.
func (c *workerConn) complete(id uint64, res workers.Result, err error) {
	c.mu.Lock()
	p, ok := c.pending[id]
	delete(c.pending, id)
	c.mu.Unlock()
	if ok {
		p.res, p.err = res, err
		close(p.done)
	}
}
