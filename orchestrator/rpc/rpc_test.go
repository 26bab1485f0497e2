package rpc

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"log/slog"
	"net"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/prometheus/client_golang/prometheus"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/status"

	"github.com/castmesh/castmesh/orchestrator/session"
	"github.com/castmesh/castmesh/orchestrator/workers"
	"github.com/castmesh/castmesh/pkg/attest"
	"github.com/castmesh/castmesh/pkg/media"
	"github.com/castmesh/castmesh/pkg/tlscert"
	pb "github.com/castmesh/castmesh/proto/castmesh/v1"
	"github.com/castmesh/castmesh/proto/convert"
	"github.com/castmesh/castmesh/test/fixture"
)

const secret = "s3cret"

type env struct {
	orch     pb.OrchestratorClient
	hub      pb.WorkerHubClient
	pool     *workers.Pool
	sessions *session.Manager
}

func start(t *testing.T, maxSessions int, payments ...Payments) *env {
	t.Helper()
	logger := slog.New(slog.DiscardHandler)
	scfg := session.DefaultConfig()
	scfg.MaxSessions = maxSessions
	sessions, err := session.New(scfg, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	pool, err := workers.New(workers.DefaultConfig(), logger, workers.NewMetrics(prometheus.NewRegistry()))
	if err != nil {
		t.Fatal(err)
	}
	var pay Payments
	if len(payments) > 0 {
		pay = payments[0]
	}
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	srv, err := New(Config{
		Address: "orch:1", WorkerSecret: secret, MaxSegmentBytes: 1 << 20,
		JobTimeout: 10 * time.Second, Heartbeat: 200 * time.Millisecond, Version: "test",
		MaxAIRequestBytes: 1 << 20, AITimeout: 10 * time.Second, Signer: key,
	}, sessions, pool, pay, logger)
	if err != nil {
		t.Fatal(err)
	}
	tlsConf, err := tlscert.ServerConfig("", "", []string{"127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	g := grpc.NewServer(grpc.Creds(credentials.NewTLS(tlsConf)))
	srv.Register(g)
	ln, err := (&net.ListenConfig{}).Listen(t.Context(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = g.Serve(ln) }()
	t.Cleanup(g.Stop)
	conn, err := grpc.NewClient(ln.Addr().String(),
		grpc.WithTransportCredentials(credentials.NewTLS(tlscert.ClientConfig(tlscert.ServerFingerprint(tlsConf)))))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return &env{orch: pb.NewOrchestratorClient(conn), hub: pb.NewWorkerHubClient(conn), pool: pool, sessions: sessions}
}

// fakeWorker is a worker speaking the raw protocol; answer decides each job.
type fakeWorker struct {
	stream pb.WorkerHub_ConnectClient
	cancel context.CancelFunc
	jobs   chan *pb.JobStart
}

type answer func(w *fakeWorker, job *pb.JobStart, input []byte)

func connectWorker(t *testing.T, e *env, id, secret string, answer answer) (*fakeWorker, error) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	stream, err := e.hub.Connect(ctx)
	if err != nil {
		cancel()
		return nil, err
	}
	w := &fakeWorker{stream: stream, cancel: cancel, jobs: make(chan *pb.JobStart, 16)}
	reg := &pb.Register{Secret: secret, WorkerId: id, Capacity: 2, Capabilities: &pb.Capabilities{
		Transcode: []*pb.TranscodeCapability{{Codec: pb.VideoCodec_VIDEO_CODEC_H264, Encoder: "libx264"}},
	}}
	if err := stream.Send(&pb.ConnectRequest{Msg: &pb.ConnectRequest_Register{Register: reg}}); err != nil {
		cancel()
		return nil, err
	}
	resp, err := stream.Recv()
	if err != nil {
		cancel()
		return nil, err
	}
	if resp.GetRegistered() == nil {
		t.Fatalf("got %v", resp)
	}
	t.Cleanup(cancel)
	go w.serve(answer)
	return w, nil
}

func (w *fakeWorker) serve(answer answer) {
	inputs := map[uint64][]byte{}
	starts := map[uint64]*pb.JobStart{}
	for {
		m, err := w.stream.Recv()
		if err != nil {
			return
		}
		switch msg := m.GetMsg().(type) {
		case *pb.ConnectResponse_Job:
			starts[msg.Job.GetJobId()] = msg.Job
			w.jobs <- msg.Job
		case *pb.ConnectResponse_Input:
			id := msg.Input.GetJobId()
			inputs[id] = append(inputs[id], msg.Input.GetData()...)
			if msg.Input.GetLast() {
				go answer(w, starts[id], inputs[id])
			}
		}
	}
}

// echo answers every profile with the input bytes as the rendition.
func echo(w *fakeWorker, job *pb.JobStart, input []byte) {
	for i, p := range job.GetProfiles() {
		r := media.Rendition{
			Profile: profileFromPB(p), Width: int(p.GetWidth()),
			Height: int(p.GetHeight()), Frames: 60, Container: media.MPEGTS, Data: input,
		}
		_ = convert.SendRendition(i, r, func(c *pb.RenditionChunk) error {
			return w.stream.Send(&pb.ConnectRequest{Msg: &pb.ConnectRequest_Output{Output: &pb.JobOutput{JobId: job.GetJobId(), Chunk: c}}})
		})
	}
	_ = w.stream.Send(&pb.ConnectRequest{Msg: &pb.ConnectRequest_Done{Done: &pb.JobDone{JobId: job.GetJobId(), TranscodeMs: 5}}})
}

func fail(code pb.JobErrorCode) answer {
	return func(w *fakeWorker, job *pb.JobStart, _ []byte) {
		_ = w.stream.Send(&pb.ConnectRequest{Msg: &pb.ConnectRequest_Done{Done: &pb.JobDone{
			JobId: job.GetJobId(),
			Error: &pb.JobError{Code: code, Message: "nope"},
		}}})
	}
}

func silent(*fakeWorker, *pb.JobStart, []byte) {}

// tsBytes is n well-framed (empty) TS packets: enough for the
// orchestrator's framing check; the fake workers never parse it.
func tsBytes(n int) []byte {
	b := make([]byte, 188*n)
	for i := 0; i < len(b); i += 188 {
		b[i] = 0x47
	}
	return b
}

type segUpload struct {
	token    *pb.AuthToken
	profiles []media.Profile
	data     []byte
	size     int64
	hash     []byte
	duration int64
	payment  *pb.Payment
	// What the last send saw.
	done  *pb.TranscodeDone
	infos []*pb.OrchestratorInfo
}

func (e *env) newUpload(t *testing.T, data []byte) segUpload {
	t.Helper()
	resp, err := e.orch.GetInfo(t.Context(), &pb.GetInfoRequest{})
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	return segUpload{
		token: resp.GetInfo().GetAuthToken(), profiles: media.DefaultLadder(), data: data,
		size: int64(len(data)), hash: sum[:], duration: 2000,
	}
}

// send runs one Transcode call and returns the renditions or the error.
func (e *env) send(t *testing.T, u *segUpload) ([]media.Rendition, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	stream, err := e.orch.Transcode(ctx)
	if err != nil {
		return nil, err
	}
	h := &pb.SegmentHeader{
		AuthToken: u.token, StreamId: "s1", Seq: 7, DurationMs: u.duration,
		Profiles: convert.ProfilesToPB(u.profiles), Size: u.size, Sha256: u.hash, Payment: u.payment,
	}
	if err := stream.Send(&pb.TranscodeRequest{Msg: &pb.TranscodeRequest_Header{Header: h}}); err != nil {
		return nil, err
	}
	for off := 0; off < len(u.data); off += 1000 {
		chunk := u.data[off:min(off+1000, len(u.data))]
		if err := stream.Send(&pb.TranscodeRequest{Msg: &pb.TranscodeRequest_Chunk{Chunk: chunk}}); err != nil {
			break // the server ended the call; Recv says why
		}
	}
	_ = stream.CloseSend()
	asm := convert.NewAssembler(u.profiles, 1<<30)
	for {
		resp, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return nil, io.ErrUnexpectedEOF
		}
		if err != nil {
			return nil, err
		}
		if resp.GetInfo() != nil {
			u.infos = append(u.infos, resp.GetInfo())
		}
		switch ev := resp.GetEvent().(type) {
		case *pb.TranscodeResponse_Accepted:
			if resp.GetInfo().GetAuthToken() == nil {
				t.Error("Accepted without fresh info")
			}
		case *pb.TranscodeResponse_Rendition:
			if err := asm.Add(ev.Rendition); err != nil {
				return nil, err
			}
		case *pb.TranscodeResponse_Done:
			u.done = ev.Done
			return asm.Renditions()
		}
	}
}

func TestTranscodeHappyPath(t *testing.T) {
	e := start(t, 10)
	if _, err := connectWorker(t, e, "w1", secret, echo); err != nil {
		t.Fatal(err)
	}
	fixture.Eventually(t, 5*time.Second, func() bool { return e.pool.Load().Workers == 1 })
	info, err := e.orch.GetInfo(t.Context(), &pb.GetInfoRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if caps := info.GetInfo().GetCapabilities().GetTranscode(); len(caps) != 1 || caps[0].GetEncoder() != "libx264" {
		t.Fatalf("capabilities %v", caps)
	}
	if l := info.GetInfo().GetLoad(); l.GetWorkers() != 1 || l.GetJobCapacity() != 2 || l.GetMaxSessions() != 10 {
		t.Fatalf("load %v", l)
	}
	data := tsBytes(3 * 1024) // several chunks each way
	up := ptr(e.newUpload(t, data))
	rs, err := e.send(t, up)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 3 || !bytes.Equal(rs[2].Data, data) || rs[0].Width != 1280 || rs[1].Profile.Name != "480p" {
		t.Fatalf("renditions %d", len(rs))
	}
	// The renditions come signed by the signer the terms name.
	signer := common.BytesToAddress(info.GetInfo().GetSigner())
	if err := attest.Verify(signer, up.done.GetSignature(), "s1", 7, rs); err != nil || signer == (common.Address{}) {
		t.Fatalf("signature: %v (signer %s)", err, signer.Hex())
	}
}

func TestTranscodeErrors(t *testing.T) {
	e := start(t, 1)
	if _, err := connectWorker(t, e, "w1", secret, echo); err != nil {
		t.Fatal(err)
	}
	fixture.Eventually(t, 5*time.Second, func() bool { return e.pool.Load().Workers == 1 })
	good := tsBytes(10)
	tests := []struct {
		name   string
		mutate func(*segUpload)
		code   codes.Code
	}{
		{"forged token", func(u *segUpload) { u.token.SessionId = "other" }, codes.Unauthenticated},
		{"no token", func(u *segUpload) { u.token = nil }, codes.Unauthenticated},
		{"bad profile", func(u *segUpload) { u.profiles = []media.Profile{{Name: "x", Width: 3}} }, codes.InvalidArgument},
		{"no profiles", func(u *segUpload) { u.profiles = nil }, codes.InvalidArgument},
		{"hash mismatch", func(u *segUpload) { u.hash = make([]byte, 32) }, codes.InvalidArgument},
		{"size larger than data", func(u *segUpload) { u.size++ }, codes.InvalidArgument},
		{"too large", func(u *segUpload) { u.size = 2 << 20 }, codes.ResourceExhausted},
		{"zero duration", func(u *segUpload) { u.duration = 0 }, codes.InvalidArgument},
		{"not TS", func(u *segUpload) {
			u.data = bytes.Repeat([]byte("x"), 376)
			sum := sha256.Sum256(u.data)
			u.hash, u.size = sum[:], 376
		}, codes.InvalidArgument},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := e.newUpload(t, good)
			tt.mutate(&u)
			_, err := e.send(t, &u)
			if got := status.Code(err); got != tt.code {
				t.Fatalf("code %v (%v), want %v", got, err, tt.code)
			}
		})
	}
	// Capacity: the one session above is live, a second one is refused.
	if _, err := e.send(t, ptr(e.newUpload(t, good))); err != nil {
		t.Fatalf("first session: %v", err)
	}
	u := e.newUpload(t, good)
	if _, err := e.send(t, &u); status.Code(err) != codes.ResourceExhausted {
		t.Fatalf("second session: %v", err)
	}
}

func TestWorkerRegistration(t *testing.T) {
	e := start(t, 10)
	if _, err := connectWorker(t, e, "w1", "wrong", echo); status.Code(err) != codes.PermissionDenied {
		t.Fatalf("wrong secret: %v", err)
	}
	if _, err := connectWorker(t, e, "w1", secret, echo); err != nil {
		t.Fatal(err)
	}
	if _, err := connectWorker(t, e, "w1", secret, echo); status.Code(err) != codes.AlreadyExists {
		t.Fatalf("duplicate id: %v", err)
	}
}

func TestNoWorkersIsUnavailable(t *testing.T) {
	e := start(t, 10)
	if _, err := e.send(t, ptr(e.newUpload(t, tsBytes(4)))); status.Code(err) != codes.Unavailable {
		t.Fatalf("got %v", err)
	}
}

func TestJobErrors(t *testing.T) {
	tests := []struct {
		name   string
		answer answer
		code   codes.Code
	}{
		{"input error", fail(pb.JobErrorCode_JOB_ERROR_CODE_INPUT), codes.InvalidArgument},
		{"worker error", fail(pb.JobErrorCode_JOB_ERROR_CODE_INTERNAL), codes.Internal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := start(t, 10)
			if _, err := connectWorker(t, e, "w1", secret, tt.answer); err != nil {
				t.Fatal(err)
			}
			fixture.Eventually(t, 5*time.Second, func() bool { return e.pool.Load().Workers == 1 })
			if _, err := e.send(t, ptr(e.newUpload(t, tsBytes(4)))); status.Code(err) != tt.code {
				t.Fatalf("got %v", err)
			}
		})
	}
}

func TestWorkerDeathMovesJob(t *testing.T) {
	e := start(t, 10)
	// Both idle: the pool breaks the tie by id, so "a" gets the job.
	dying, err := connectWorker(t, e, "a", secret, silent)
	if err != nil {
		t.Fatal(err)
	}
	healthy, err := connectWorker(t, e, "b", secret, echo)
	if err != nil {
		t.Fatal(err)
	}
	fixture.Eventually(t, 5*time.Second, func() bool { return e.pool.Load().Workers == 2 })
	go func() {
		<-dying.jobs // it holds the job: now it dies
		dying.cancel()
	}()
	rs, err := e.send(t, ptr(e.newUpload(t, tsBytes(4))))
	if err != nil || len(rs) != 3 {
		t.Fatalf("renditions %d, err %v", len(rs), err)
	}
	if len(healthy.jobs) != 1 {
		t.Fatalf("healthy worker got %d jobs", len(healthy.jobs))
	}
	fixture.Eventually(t, 5*time.Second, func() bool { return e.pool.Load().Workers == 1 })
}

func TestSilentWorkerIsDropped(t *testing.T) {
	e := start(t, 10)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	stream, err := e.hub.Connect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	reg := &pb.Register{Secret: secret, WorkerId: "mute", Capacity: 1}
	if err := stream.Send(&pb.ConnectRequest{Msg: &pb.ConnectRequest_Register{Register: reg}}); err != nil {
		t.Fatal(err)
	}
	fixture.Eventually(t, 5*time.Second, func() bool { return e.pool.Load().Workers == 1 })
	// No heartbeats: after three intervals (600 ms) the hub drops it.
	fixture.Eventually(t, 5*time.Second, func() bool { return e.pool.Load().Workers == 0 })
}

func ptr[T any](v T) *T { return &v }

// profileFromPB converts one rung.
func profileFromPB(p *pb.Profile) media.Profile {
	ps, _ := convert.ProfilesFromPB([]*pb.Profile{p})
	return ps[0]
}
