package hubclient

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/castmesh/castmesh/pkg/media"
	pb "github.com/castmesh/castmesh/proto/castmesh/v1"
	"github.com/castmesh/castmesh/proto/convert"
)

// errProtocol marks a hub that broke the protocol.
var errProtocol = errors.New("hub protocol violation")

// session is one live connection to the hub.
type session struct {
	client *Client
	stream pb.WorkerHub_ConnectClient
	sendMu sync.Mutex
	slots  chan struct{}

	mu   sync.Mutex
	jobs map[uint64]*job // receiving input or running
}

// job is a transcode job (start set) or an AI job (ai set).
type job struct {
	start  *pb.JobStart
	ai     *pb.AIJobStart
	input  []byte
	cancel context.CancelFunc
}

func (j *job) size() int64 {
	if j.ai != nil {
		return j.ai.GetSize()
	}
	return j.start.GetSize()
}

func (s *session) send(m *pb.ConnectRequest) error {
	s.sendMu.Lock()
	defer s.sendMu.Unlock()
	return s.stream.Send(m)
}

func (s *session) heartbeat(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			s.mu.Lock()
			n := len(s.jobs)
			s.mu.Unlock()
			hb := &pb.Heartbeat{InFlight: uint32(n), Ai: s.client.aiCapabilities()} //nolint:gosec // small
			if s.send(&pb.ConnectRequest{Msg: &pb.ConnectRequest_Heartbeat{Heartbeat: hb}}) != nil {
				return
			}
		}
	}
}

// serve reads the hub's messages until the stream ends.
func (s *session) serve(ctx context.Context, wg *sync.WaitGroup) error {
	for {
		msg, err := s.stream.Recv()
		if err != nil {
			return err
		}
		switch m := msg.GetMsg().(type) {
		case *pb.ConnectResponse_Job:
			if err := s.open(m.Job.GetJobId(), &job{start: m.Job}); err != nil {
				return err
			}
		case *pb.ConnectResponse_AiJob:
			if s.client.ai == nil {
				return fmt.Errorf("%w: an AI job for a worker without AI", errProtocol)
			}
			if err := s.open(m.AiJob.GetJobId(), &job{ai: m.AiJob}); err != nil {
				return err
			}
		case *pb.ConnectResponse_Input:
			if err := s.input(ctx, wg, m.Input); err != nil {
				return err
			}
		case *pb.ConnectResponse_Cancel:
			s.mu.Lock()
			if j := s.jobs[m.Cancel.GetJobId()]; j != nil && j.cancel != nil {
				j.cancel()
			}
			s.mu.Unlock()
		}
	}
}

func (s *session) open(id uint64, j *job) error {
	if j.size() <= 0 || j.size() > s.client.cfg.MaxJobBytes {
		return fmt.Errorf("%w: job %d of %d bytes", errProtocol, id, j.size())
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, dup := s.jobs[id]; dup {
		return fmt.Errorf("%w: job %d started twice", errProtocol, id)
	}
	j.input = make([]byte, 0, j.size())
	s.jobs[id] = j
	return nil
}

// input appends a chunk; the last one starts the job.
func (s *session) input(ctx context.Context, wg *sync.WaitGroup, in *pb.JobInput) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	j := s.jobs[in.GetJobId()]
	if j == nil || j.cancel != nil {
		return fmt.Errorf("%w: input for unknown job %d", errProtocol, in.GetJobId())
	}
	if int64(len(j.input)+len(in.GetData())) > j.size() {
		return fmt.Errorf("%w: job %d input larger than announced", errProtocol, in.GetJobId())
	}
	j.input = append(j.input, in.GetData()...)
	if !in.GetLast() {
		return nil
	}
	jctx, cancel := context.WithCancel(ctx)
	j.cancel = cancel
	wg.Go(func() {
		defer cancel()
		if j.ai != nil {
			s.runAI(jctx, in.GetJobId(), j)
			return
		}
		s.run(jctx, j)
	})
	return nil
}

// run transcodes one job and reports its result.
func (s *session) run(ctx context.Context, j *job) {
	id := j.start.GetJobId()
	defer func() {
		s.mu.Lock()
		delete(s.jobs, id)
		s.mu.Unlock()
	}()
	select {
	case s.slots <- struct{}{}:
		defer func() { <-s.slots }()
	case <-ctx.Done():
		return
	}
	s.client.metrics.inFlight.Inc()
	defer s.client.metrics.inFlight.Dec()
	start := time.Now()
	profiles, err := convert.ProfilesFromPB(j.start.GetProfiles())
	var rs []media.Rendition
	if err == nil {
		rs, err = s.client.tr.Transcode(ctx, Job{
			StreamID: j.start.GetStreamId(), Seq: j.start.GetSeq(), Profiles: profiles, Input: j.input,
			Duration: time.Duration(j.start.GetDurationMs()) * time.Millisecond,
		})
	}
	s.client.metrics.observe(err, time.Since(start))
	if ctx.Err() != nil {
		return // cancelled, or the connection is gone: nobody to tell
	}
	if err == nil && len(rs) != len(profiles) {
		err = fmt.Errorf("transcoder returned %d renditions for %d profiles", len(rs), len(profiles))
	}
	done := &pb.JobDone{JobId: id, TranscodeMs: time.Since(start).Milliseconds()}
	if err != nil {
		code := pb.JobErrorCode_JOB_ERROR_CODE_INTERNAL
		if errors.Is(err, ErrBadInput) {
			code = pb.JobErrorCode_JOB_ERROR_CODE_INPUT
		}
		s.client.logger.Warn("job failed", "stream", j.start.GetStreamId(), "seq", j.start.GetSeq(), "err", err)
		done.Error = &pb.JobError{Code: code, Message: err.Error()}
	} else if err := s.sendRenditions(id, rs); err != nil {
		return // the stream broke; serve sees it too
	}
	_ = s.send(&pb.ConnectRequest{Msg: &pb.ConnectRequest_Done{Done: done}}) // a broken stream ends serve
}
