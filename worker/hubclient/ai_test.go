package hubclient

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	pb "github.com/castmesh/castmesh/proto/castmesh/v1"
)

// fakeAI echoes the body back in two parts, or fails as told.
type fakeAI struct {
	err      error
	capacity atomic.Int32
}

func (f *fakeAI) Models() []AIModel {
	return []AIModel{{Pipeline: "upscale", ModelID: "m", Warm: true, Capacity: int(f.capacity.Load())}}
}

func (f *fakeAI) Run(_ context.Context, job AIJob, out func(string, []byte) error) error {
	if f.err != nil {
		return f.err
	}
	if job.Pipeline != "upscale" || job.ModelID != "m" || job.ContentType != "application/json" || job.RequestID != "r1" {
		return fmt.Errorf("job %+v", job)
	}
	half := len(job.Body) / 2
	if err := out("application/json", job.Body[:half]); err != nil {
		return err
	}
	return out("", job.Body[half:])
}

func sendAIJob(s pb.WorkerHub_ConnectServer, id uint64, body []byte) error {
	start := &pb.AIJobStart{
		JobId: id, Pipeline: "upscale", ModelId: "m", ContentType: "application/json",
		Size: int64(len(body)), RequestId: "r1",
	}
	if err := s.Send(&pb.ConnectResponse{Msg: &pb.ConnectResponse_AiJob{AiJob: start}}); err != nil {
		return err
	}
	return s.Send(&pb.ConnectResponse{Msg: &pb.ConnectResponse_Input{Input: &pb.JobInput{JobId: id, Data: body, Last: true}}})
}

// collectAI reads an AI job's answer and its end, and the AI models the
// heartbeats report.
func collectAI(s pb.WorkerHub_ConnectServer) (ct, body string, done *pb.JobDone, hb []*pb.AICapability, err error) {
	for {
		m, err := s.Recv()
		if err != nil {
			return "", "", nil, nil, err
		}
		switch msg := m.GetMsg().(type) {
		case *pb.ConnectRequest_AiOutput:
			if ct == "" {
				ct = msg.AiOutput.GetContentType()
			}
			body += string(msg.AiOutput.GetData())
		case *pb.ConnectRequest_Done:
			return ct, body, msg.Done, hb, nil
		case *pb.ConnectRequest_Heartbeat:
			hb = msg.Heartbeat.GetAi()
		}
	}
}

func TestAIJobRoundTrip(t *testing.T) {
	type result struct {
		ct, body string
		done     *pb.JobDone
		reg      *pb.Register
		err      error
	}
	results := make(chan result, 1)
	hub := &fakeHub{connect: func(_ int32, reg *pb.Register, s pb.WorkerHub_ConnectServer) error {
		if err := registered(s); err != nil {
			return err
		}
		if err := sendAIJob(s, 9, []byte(`{"prompt":"a cat"}`)); err != nil {
			return err
		}
		ct, body, done, _, err := collectAI(s)
		results <- result{ct, body, done, reg, err}
		<-s.Context().Done()
		return nil
	}}
	ai := &fakeAI{}
	ai.capacity.Store(2)
	runClient(t, hub, &fakeTranscoder{}, ai)
	r := <-results
	if r.err != nil || r.done.GetError() != nil {
		t.Fatalf("%v %v", r.err, r.done.GetError())
	}
	if r.ct != "application/json" || r.body != `{"prompt":"a cat"}` {
		t.Fatalf("answer %q %q", r.ct, r.body)
	}
	caps := r.reg.GetCapabilities().GetAi()
	if len(caps) != 1 || caps[0].GetPipeline() != "upscale" || caps[0].GetCapacity() != 2 || !caps[0].GetWarm() {
		t.Fatalf("registered AI %v", caps)
	}
}

func TestAIErrorsAndHeartbeats(t *testing.T) {
	tests := []struct {
		err  error
		code pb.JobErrorCode
	}{
		{fmt.Errorf("%w: not an image", ErrBadInput), pb.JobErrorCode_JOB_ERROR_CODE_INPUT},
		{fmt.Errorf("%w: webm", ErrUnsupportedMedia), pb.JobErrorCode_JOB_ERROR_CODE_UNSUPPORTED_MEDIA},
		{fmt.Errorf("%w: 1 running", ErrBusy), pb.JobErrorCode_JOB_ERROR_CODE_BUSY},
		{errors.New("runner crashed"), pb.JobErrorCode_JOB_ERROR_CODE_INTERNAL},
	}
	for _, tt := range tests {
		t.Run(tt.code.String(), func(t *testing.T) {
			dones := make(chan *pb.JobDone, 1)
			hub := &fakeHub{connect: func(_ int32, _ *pb.Register, s pb.WorkerHub_ConnectServer) error {
				if err := registered(s); err != nil {
					return err
				}
				if err := sendAIJob(s, 1, []byte("{}")); err != nil {
					return err
				}
				_, _, done, _, err := collectAI(s)
				if err != nil {
					return err
				}
				dones <- done
				<-s.Context().Done()
				return nil
			}}
			runClient(t, hub, &fakeTranscoder{}, &fakeAI{err: tt.err})
			done := <-dones
			if done.GetError().GetCode() != tt.code || !strings.Contains(done.GetError().GetMessage(), tt.err.Error()) {
				t.Fatalf("done %v", done)
			}
		})
	}

	// Heartbeats carry the models' current state: an unhealthy runner has
	// capacity 0.
	states := make(chan uint32, 16)
	hub := &fakeHub{connect: func(_ int32, _ *pb.Register, s pb.WorkerHub_ConnectServer) error {
		if err := registered(s); err != nil {
			return err
		}
		for {
			m, err := s.Recv()
			if err != nil {
				return err
			}
			if hb := m.GetHeartbeat(); hb != nil && len(hb.GetAi()) == 1 {
				select {
				case states <- hb.GetAi()[0].GetCapacity():
				default:
				}
			}
		}
	}}
	ai := &fakeAI{}
	ai.capacity.Store(3)
	runClient(t, hub, &fakeTranscoder{}, ai)
	waitCapacity(t, states, 3)
	ai.capacity.Store(0)
	waitCapacity(t, states, 0)
}

func waitCapacity(t *testing.T, states <-chan uint32, want uint32) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case c := <-states:
			if c == want {
				return
			}
		case <-deadline:
			t.Fatalf("no heartbeat reported capacity %d", want)
		}
	}
}
