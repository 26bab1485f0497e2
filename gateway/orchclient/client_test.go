package orchclient

import (
	"bytes"
	"context"
	"errors"
	"net"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/status"

	"github.com/castmesh/castmesh/pkg/media"
	"github.com/castmesh/castmesh/pkg/tlscert"
	pb "github.com/castmesh/castmesh/proto/castmesh/v1"
	"github.com/castmesh/castmesh/proto/convert"
)

// fakeOrch serves the Orchestrator service with a func per call.
type fakeOrch struct {
	pb.UnimplementedOrchestratorServer
	transcode func(h *pb.SegmentHeader, data []byte, s pb.Orchestrator_TranscodeServer) error
	// info, when set, is the GetInfo answer.
	info func() *pb.OrchestratorInfo
}

func (f *fakeOrch) GetInfo(_ context.Context, req *pb.GetInfoRequest) (*pb.GetInfoResponse, error) {
	if f.info != nil {
		return &pb.GetInfoResponse{Info: f.info()}, nil
	}
	return &pb.GetInfoResponse{Info: &pb.OrchestratorInfo{
		Address:      "o:1",
		Capabilities: &pb.Capabilities{Version: "v", Transcode: []*pb.TranscodeCapability{{Codec: pb.VideoCodec_VIDEO_CODEC_H264, Encoder: "libx264"}, {Codec: pb.VideoCodec_VIDEO_CODEC_H264, Encoder: "h264_nvenc", Hardware: true}}},
		AuthToken:    &pb.AuthToken{Token: []byte("mac"), SessionId: req.GetSessionId() + "x", Expiration: 100},
		Load:         &pb.Load{Sessions: 1, MaxSessions: 10, Workers: 2, JobsInFlight: 3, JobCapacity: 4},
	}}, nil
}

func (f *fakeOrch) Transcode(s pb.Orchestrator_TranscodeServer) error {
	first, err := s.Recv()
	if err != nil {
		return err
	}
	var data []byte
	for int64(len(data)) < first.GetHeader().GetSize() {
		m, err := s.Recv()
		if err != nil {
			return err
		}
		data = append(data, m.GetChunk()...)
	}
	return f.transcode(first.GetHeader(), data, s)
}

func serve(t *testing.T, f *fakeOrch) *Client {
	t.Helper()
	tlsConf, err := tlscert.ServerConfig("", "", []string{"127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	g := grpc.NewServer(grpc.Creds(credentials.NewTLS(tlsConf)))
	pb.RegisterOrchestratorServer(g, f)
	ln, err := (&net.ListenConfig{}).Listen(t.Context(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = g.Serve(ln) }()
	t.Cleanup(g.Stop)
	c, err := New(ln.Addr().String(), tlscert.ServerFingerprint(tlsConf), 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func echo(h *pb.SegmentHeader, data []byte, s pb.Orchestrator_TranscodeServer) error {
	if err := s.Send(&pb.TranscodeResponse{Event: &pb.TranscodeResponse_Accepted{Accepted: &pb.Accepted{Seq: h.GetSeq()}}}); err != nil {
		return err
	}
	profiles, err := convert.ProfilesFromPB(h.GetProfiles())
	if err != nil {
		return err
	}
	for i, p := range profiles {
		r := media.Rendition{Profile: p, Width: p.Width, Height: p.Height, Frames: 60, Data: data}
		if err := convert.SendRendition(i, r, func(c *pb.RenditionChunk) error {
			return s.Send(&pb.TranscodeResponse{Event: &pb.TranscodeResponse_Rendition{Rendition: c}})
		}); err != nil {
			return err
		}
	}
	return s.Send(&pb.TranscodeResponse{
		Event: &pb.TranscodeResponse_Done{Done: &pb.TranscodeDone{Seq: h.GetSeq(), TranscodeMs: 1500}},
		Info:  &pb.OrchestratorInfo{AuthToken: &pb.AuthToken{SessionId: "fresh"}},
	})
}

func TestGetInfo(t *testing.T) {
	c := serve(t, &fakeOrch{})
	info, err := c.GetInfo(t.Context(), "gw", "s", common.Address{})
	if err != nil {
		t.Fatal(err)
	}
	if info.Token.SessionID != "sx" || !info.Codecs[media.H264] || info.Load.JobCapacity != 4 || info.Version != "v" {
		t.Fatalf("info %+v", info)
	}
	if !info.CanEncode(media.DefaultLadder()) || info.CanEncode([]media.Profile{{Codec: media.AV1}}) {
		t.Fatal("CanEncode wrong")
	}
}

func TestTranscode(t *testing.T) {
	c := serve(t, &fakeOrch{transcode: echo})
	data := bytes.Repeat([]byte{0x47}, 3<<20)
	res, err := c.Transcode(t.Context(), Token{}, "s", media.Segment{Seq: 4, Data: data}, media.DefaultLadder(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Renditions) != 3 || !bytes.Equal(res.Renditions[1].Data, data) || res.Transcode.Milliseconds() != 1500 ||
		res.Info.Token.SessionID != "fresh" {
		t.Fatalf("result: %d renditions, %v, %+v", len(res.Renditions), res.Transcode, res.Info.Token)
	}
}

func TestTranscodeErrors(t *testing.T) {
	fail := func(code codes.Code) func(*pb.SegmentHeader, []byte, pb.Orchestrator_TranscodeServer) error {
		return func(*pb.SegmentHeader, []byte, pb.Orchestrator_TranscodeServer) error { return status.Error(code, "x") }
	}
	tests := []struct {
		name string
		f    func(*pb.SegmentHeader, []byte, pb.Orchestrator_TranscodeServer) error
		want error
	}{
		{"bad input", fail(codes.InvalidArgument), ErrBadInput},
		{"busy", fail(codes.ResourceExhausted), ErrBusy},
		{"auth", fail(codes.Unauthenticated), ErrAuth},
		{"no workers", fail(codes.Unavailable), ErrUnavailable},
		{"internal", fail(codes.Internal), ErrFailed},
		{"ends without done", func(*pb.SegmentHeader, []byte, pb.Orchestrator_TranscodeServer) error { return nil }, ErrProtocol},
		{"done for another seq", func(h *pb.SegmentHeader, _ []byte, s pb.Orchestrator_TranscodeServer) error {
			return s.Send(&pb.TranscodeResponse{Event: &pb.TranscodeResponse_Done{Done: &pb.TranscodeDone{Seq: h.GetSeq() + 1}}})
		}, ErrProtocol},
		{"done without renditions", func(h *pb.SegmentHeader, _ []byte, s pb.Orchestrator_TranscodeServer) error {
			return s.Send(&pb.TranscodeResponse{Event: &pb.TranscodeResponse_Done{Done: &pb.TranscodeDone{Seq: h.GetSeq()}}})
		}, ErrProtocol},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := serve(t, &fakeOrch{transcode: tt.f})
			_, err := c.Transcode(t.Context(), Token{}, "s", media.Segment{Seq: 1, Data: []byte{1, 2}}, media.DefaultLadder(), nil)
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
		})
	}
}

func TestUnreachable(t *testing.T) {
	ln, err := (&net.ListenConfig{}).Listen(t.Context(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	c, err := New(addr, "", 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.GetInfo(t.Context(), "", "", common.Address{}); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("got %v", err)
	}
}
