package hubclient

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/status"

	"github.com/castmesh/castmesh/pkg/media"
	"github.com/castmesh/castmesh/pkg/tlscert"
	pb "github.com/castmesh/castmesh/proto/castmesh/v1"
	"github.com/castmesh/castmesh/proto/convert"
	"github.com/castmesh/castmesh/test/fixture"
)

// fakeHub serves WorkerHub with a func per connection.
type fakeHub struct {
	pb.UnimplementedWorkerHubServer
	conns   atomic.Int32
	connect func(n int32, reg *pb.Register, s pb.WorkerHub_ConnectServer) error
}

func (h *fakeHub) Connect(s pb.WorkerHub_ConnectServer) error {
	first, err := s.Recv()
	if err != nil {
		return err
	}
	return h.connect(h.conns.Add(1), first.GetRegister(), s)
}

// fakeTranscoder answers with one small rendition per profile, or fails.
type fakeTranscoder struct {
	err  error
	jobs chan Job
}

func (f *fakeTranscoder) Transcode(ctx context.Context, job Job) ([]media.Rendition, error) {
	if f.jobs != nil {
		f.jobs <- job
	}
	if f.err != nil {
		return nil, f.err
	}
	rs := make([]media.Rendition, len(job.Profiles))
	for i, p := range job.Profiles {
		rs[i] = media.Rendition{Profile: p, Width: p.Width, Height: p.Height, Frames: 1, Data: job.Input}
	}
	return rs, ctx.Err()
}

func runClient(t *testing.T, hub *fakeHub, tr Transcoder, ai ...AIRunner) (*Client, chan error) {
	t.Helper()
	tlsConf, err := tlscert.ServerConfig("", "", []string{"127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	g := grpc.NewServer(grpc.Creds(credentials.NewTLS(tlsConf)))
	pb.RegisterWorkerHubServer(g, hub)
	ln, err := (&net.ListenConfig{}).Listen(t.Context(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = g.Serve(ln) }()
	t.Cleanup(g.Stop)
	c, err := New(Config{
		Orchestrator: ln.Addr().String(), Secret: "s", WorkerID: "w", Capacity: 2,
		Fingerprint: tlscert.ServerFingerprint(tlsConf), ReconnectMin: 10 * time.Millisecond,
		ReconnectMax: 50 * time.Millisecond, MaxJobBytes: 1 << 20,
	}, tr, []Encoder{{Codec: media.H264, Name: "libx264"}}, firstOr(ai), slog.New(slog.DiscardHandler), NewMetrics(prometheus.NewRegistry()))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- c.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil && !errors.Is(err, ErrRejected) {
			t.Errorf("Run: %v", err)
		}
	})
	return c, done
}

func registered(s pb.WorkerHub_ConnectServer) error {
	return s.Send(&pb.ConnectResponse{Msg: &pb.ConnectResponse_Registered{Registered: &pb.Registered{WorkerId: "w", HeartbeatIntervalMs: 100}}})
}

// sendJob sends one job whose input is data, in two chunks.
func sendJob(s pb.WorkerHub_ConnectServer, id uint64, data []byte) error {
	start := &pb.JobStart{
		JobId: id, StreamId: "s", Seq: 3, DurationMs: 2000, Size: int64(len(data)),
		Profiles: convert.ProfilesToPB(media.DefaultLadder()),
	}
	if err := s.Send(&pb.ConnectResponse{Msg: &pb.ConnectResponse_Job{Job: start}}); err != nil {
		return err
	}
	half := len(data) / 2
	for i, part := range [][]byte{data[:half], data[half:]} {
		in := &pb.JobInput{JobId: id, Data: part, Last: i == 1}
		if err := s.Send(&pb.ConnectResponse{Msg: &pb.ConnectResponse_Input{Input: in}}); err != nil {
			return err
		}
	}
	return nil
}

// collect reads the worker's messages until the job is done.
func collect(s pb.WorkerHub_ConnectServer) (*convert.Assembler, *pb.JobDone, int, error) {
	asm := convert.NewAssembler(media.DefaultLadder(), 1<<20)
	heartbeats := 0
	for {
		m, err := s.Recv()
		if err != nil {
			return nil, nil, heartbeats, err
		}
		switch msg := m.GetMsg().(type) {
		case *pb.ConnectRequest_Output:
			if err := asm.Add(msg.Output.GetChunk()); err != nil {
				return nil, nil, heartbeats, err
			}
		case *pb.ConnectRequest_Done:
			return asm, msg.Done, heartbeats, nil
		case *pb.ConnectRequest_Heartbeat:
			heartbeats++
		}
	}
}

func TestJobRoundTrip(t *testing.T) {
	results := make(chan error, 1)
	hub := &fakeHub{connect: func(_ int32, reg *pb.Register, s pb.WorkerHub_ConnectServer) error {
		if reg.GetSecret() != "s" || reg.GetCapacity() != 2 || len(reg.GetCapabilities().GetTranscode()) != 1 {
			results <- errors.New("bad register")
			return nil
		}
		if err := registered(s); err != nil {
			return err
		}
		if err := sendJob(s, 7, []byte("0123456789")); err != nil {
			return err
		}
		asm, done, _, err := collect(s)
		if err == nil && done.GetError() != nil {
			err = errors.New(done.GetError().GetMessage())
		}
		if err == nil {
			var rs []media.Rendition
			if rs, err = asm.Renditions(); err == nil && string(rs[2].Data) != "0123456789" {
				err = errors.New("wrong rendition data")
			}
		}
		results <- err
		<-s.Context().Done()
		return nil
	}}
	tr := &fakeTranscoder{jobs: make(chan Job, 1)}
	c, _ := runClient(t, hub, tr)
	if err := <-results; err != nil {
		t.Fatal(err)
	}
	job := <-tr.jobs
	if job.StreamID != "s" || job.Seq != 3 || job.Duration != 2*time.Second || len(job.Profiles) != 3 {
		t.Fatalf("job %+v", job)
	}
	if !c.Connected() {
		t.Fatal("not connected")
	}
}

func TestErrorsAreClassified(t *testing.T) {
	tests := []struct {
		name string
		err  error
		code pb.JobErrorCode
	}{
		{"bad input", errors.Join(ErrBadInput, errors.New("not video")), pb.JobErrorCode_JOB_ERROR_CODE_INPUT},
		{"worker failure", errors.New("ffmpeg crashed"), pb.JobErrorCode_JOB_ERROR_CODE_INTERNAL},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			codes := make(chan pb.JobErrorCode, 1)
			hub := &fakeHub{connect: func(_ int32, _ *pb.Register, s pb.WorkerHub_ConnectServer) error {
				if err := registered(s); err != nil {
					return err
				}
				if err := sendJob(s, 1, []byte{1, 2}); err != nil {
					return err
				}
				_, done, _, err := collect(s)
				if err != nil {
					return err
				}
				codes <- done.GetError().GetCode()
				<-s.Context().Done()
				return nil
			}}
			runClient(t, hub, &fakeTranscoder{err: tt.err})
			if got := <-codes; got != tt.code {
				t.Fatalf("code %v, want %v", got, tt.code)
			}
		})
	}
}

func TestReconnectsAndHeartbeats(t *testing.T) {
	beats := make(chan int, 1)
	hub := &fakeHub{connect: func(n int32, _ *pb.Register, s pb.WorkerHub_ConnectServer) error {
		if err := registered(s); err != nil {
			return err
		}
		if n == 1 {
			return status.Error(codes.Unavailable, "orchestrator restarting")
		}
		// The second connection: wait for heartbeats (interval 100 ms).
		seen := 0
		for seen < 2 {
			m, err := s.Recv()
			if err != nil {
				return err
			}
			if m.GetHeartbeat() != nil {
				seen++
			}
		}
		beats <- seen
		<-s.Context().Done()
		return nil
	}}
	c, _ := runClient(t, hub, &fakeTranscoder{})
	select {
	case <-beats:
	case <-time.After(10 * time.Second):
		t.Fatal("no heartbeats on the redialled connection")
	}
	fixture.Eventually(t, 5*time.Second, c.Connected, "connected again")
}

func TestRejectedSecretIsFinal(t *testing.T) {
	hub := &fakeHub{connect: func(int32, *pb.Register, pb.WorkerHub_ConnectServer) error {
		return status.Error(codes.PermissionDenied, "wrong worker secret")
	}}
	_, done := runClient(t, hub, &fakeTranscoder{})
	select {
	case err := <-done:
		if !errors.Is(err, ErrRejected) {
			t.Fatalf("got %v", err)
		}
		done <- err // for the cleanup
	case <-time.After(10 * time.Second):
		t.Fatal("a refused worker kept redialling")
	}
	if n := hub.conns.Load(); n != 1 {
		t.Fatalf("dialled %d times", n)
	}
}

func TestConfigValidate(t *testing.T) {
	good := Config{Orchestrator: "h:1", Secret: "s", Capacity: 1, ReconnectMin: 1, ReconnectMax: 1, MaxJobBytes: 1}
	if err := good.Validate(); err != nil {
		t.Fatal(err)
	}
	for name, mutate := range map[string]func(*Config){
		"orchestrator": func(c *Config) { c.Orchestrator = "" },
		"secret":       func(c *Config) { c.Secret = "" },
		"capacity":     func(c *Config) { c.Capacity = 0 },
		"backoff":      func(c *Config) { c.ReconnectMax = 0 },
		"max bytes":    func(c *Config) { c.MaxJobBytes = 0 },
	} {
		c := good
		mutate(&c)
		if c.Validate() == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func firstOr(ai []AIRunner) AIRunner {
	if len(ai) == 0 {
		return nil
	}
	return ai[0]
}
