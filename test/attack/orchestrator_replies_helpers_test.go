package attack

import (
	"context"
	"crypto/ecdsa"
	"net"
	"testing"

	"github.com/ethereum/go-ethereum/crypto"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"

	"github.com/castmesh/castmesh/pkg/attest"
	"github.com/castmesh/castmesh/pkg/media"
	"github.com/castmesh/castmesh/pkg/tlscert"
	pb "github.com/castmesh/castmesh/proto/castmesh/v1"
	"github.com/castmesh/castmesh/proto/convert"
)

// fakeOrchestrator serves the Orchestrator service on loopback with
// programmable answers: a hostile orchestrator, or an honest one that
// answers every profile with the source segment, signed.
type fakeOrchestrator struct {
	pb.UnimplementedOrchestratorServer
	// info is the GetInfo answer; nil answers the honest terms.
	info func(ctx context.Context) (*pb.OrchestratorInfo, error)
	// key signs renditions; signer is the address the terms name.
	key    *ecdsa.PrivateKey
	signer []byte
	// transcodes counts Transcode calls.
	transcodes chan struct{}
}

func newFakeOrchestrator(t *testing.T) *fakeOrchestrator {
	t.Helper()
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return &fakeOrchestrator{key: key, signer: crypto.PubkeyToAddress(key.PublicKey).Bytes(), transcodes: make(chan struct{}, 100)}
}

// honestInfo is sane terms: H.264, one worker with four slots.
func (f *fakeOrchestrator) honestInfo(addr string) *pb.OrchestratorInfo {
	return &pb.OrchestratorInfo{
		Address: addr, Signer: f.signer,
		Capabilities: &pb.Capabilities{Version: "attack", Transcode: []*pb.TranscodeCapability{{Codec: pb.VideoCodec_VIDEO_CODEC_H264, Encoder: "libx264"}}},
		AuthToken:    &pb.AuthToken{Token: []byte("mac"), SessionId: "s", Expiration: 1 << 40},
		Load:         &pb.Load{MaxSessions: 10, Workers: 1, JobCapacity: 4},
	}
}

func (f *fakeOrchestrator) GetInfo(ctx context.Context, _ *pb.GetInfoRequest) (*pb.GetInfoResponse, error) {
	info, err := f.info(ctx)
	return &pb.GetInfoResponse{Info: info}, err
}

func (f *fakeOrchestrator) EndSession(context.Context, *pb.EndSessionRequest) (*pb.EndSessionResponse, error) {
	return &pb.EndSessionResponse{}, nil
}

// Transcode answers every profile with the uploaded segment itself.
func (f *fakeOrchestrator) Transcode(s pb.Orchestrator_TranscodeServer) error {
	f.transcodes <- struct{}{}
	first, err := s.Recv()
	if err != nil {
		return err
	}
	h := first.GetHeader()
	var data []byte
	for int64(len(data)) < h.GetSize() {
		m, err := s.Recv()
		if err != nil {
			return err
		}
		data = append(data, m.GetChunk()...)
	}
	profiles, err := convert.ProfilesFromPB(h.GetProfiles())
	if err != nil {
		return err
	}
	rs := make([]media.Rendition, len(profiles))
	for i, p := range profiles {
		rs[i] = media.Rendition{Profile: p, Container: media.MPEGTS, Data: data}
		if err := convert.SendRendition(i, rs[i], func(c *pb.RenditionChunk) error {
			return s.Send(&pb.TranscodeResponse{Event: &pb.TranscodeResponse_Rendition{Rendition: c}})
		}); err != nil {
			return err
		}
	}
	sig, err := attest.Sign(f.key, h.GetStreamId(), h.GetSeq(), rs)
	if err != nil {
		return err
	}
	return s.Send(&pb.TranscodeResponse{Event: &pb.TranscodeResponse_Done{Done: &pb.TranscodeDone{Seq: h.GetSeq(), Signature: sig}}})
}

// serveFake serves f on a loopback port until the test ends and returns
// its address and certificate fingerprint.
func serveFake(t *testing.T, f *fakeOrchestrator) (addr, fingerprint string) {
	t.Helper()
	tlsConf, err := tlscert.ServerConfig("", "", []string{"127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := (&net.ListenConfig{}).Listen(t.Context(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr = ln.Addr().String()
	if f.info == nil {
		f.info = func(context.Context) (*pb.OrchestratorInfo, error) { return f.honestInfo(addr), nil }
	}
	g := grpc.NewServer(grpc.Creds(credentials.NewTLS(tlsConf)))
	pb.RegisterOrchestratorServer(g, f)
	go func() { _ = g.Serve(ln) }()
	t.Cleanup(g.Stop)
	return addr, tlscert.ServerFingerprint(tlsConf)
}
