package attack

import (
	"context"
	"crypto/tls"
	"log/slog"
	"math/big"
	"net"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/prometheus/client_golang/prometheus"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/status"

	"github.com/castmesh/castmesh/gateway/selection"
	"github.com/castmesh/castmesh/payments/balance/balancetest"
	"github.com/castmesh/castmesh/payments/broker"
	"github.com/castmesh/castmesh/payments/chain"
	"github.com/castmesh/castmesh/payments/onchain"
	"github.com/castmesh/castmesh/payments/sender"
	"github.com/castmesh/castmesh/payments/ticket"
	"github.com/castmesh/castmesh/pkg/discovery"
	"github.com/castmesh/castmesh/pkg/tlscert"
	pb "github.com/castmesh/castmesh/proto/castmesh/v1"
	"github.com/castmesh/castmesh/proto/convert"
)

// hostileOrch is an orchestrator that quotes whatever terms quote makes,
// over real gRPC with TLS, and counts the work sent to it. It quotes a
// cheap price and no params to a gateway's directory (no sender), so the
// gateway ranks it first, then its absurd terms to a stream.
type hostileOrch struct {
	pb.UnimplementedOrchestratorServer
	addr, fingerprint string
	quote             func(info *pb.OrchestratorInfo)
	asked, transcodes atomic.Int64
}

func startHostile(t *testing.T, quote func(info *pb.OrchestratorInfo)) *hostileOrch {
	t.Helper()
	cert, err := tlscert.SelfSigned([]string{"127.0.0.1"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	conf := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS13}
	ln, err := (&net.ListenConfig{}).Listen(t.Context(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	h := &hostileOrch{addr: ln.Addr().String(), fingerprint: tlscert.ServerFingerprint(conf), quote: quote}
	g := grpc.NewServer(grpc.Creds(credentials.NewTLS(conf)))
	pb.RegisterOrchestratorServer(g, h)
	go g.Serve(ln) //nolint:errcheck // ends with Stop
	t.Cleanup(g.Stop)
	return h
}

func (h *hostileOrch) GetInfo(_ context.Context, req *pb.GetInfoRequest) (*pb.GetInfoResponse, error) {
	session := req.GetSessionId()
	if session == "" {
		session = "hostile-session"
	}
	info := &pb.OrchestratorInfo{
		Address:      h.addr,
		Capabilities: &pb.Capabilities{Transcode: []*pb.TranscodeCapability{{Codec: pb.VideoCodec_VIDEO_CODEC_H264}}},
		Prices:       []*pb.PriceInfo{{Capability: "transcode", PricePerUnit: convert.RatToPB(big.NewRat(1, 1))}},
		AuthToken:    &pb.AuthToken{Token: make([]byte, 32), SessionId: session, Expiration: time.Now().Add(time.Hour).Unix()},
		Load:         &pb.Load{MaxSessions: 100, Workers: 8, JobCapacity: 64},
		EthAddress:   hostileAddress().Bytes(),
		Signer:       hostileAddress().Bytes(),
	}
	if len(req.GetSender()) != 0 {
		h.asked.Add(1)
		h.quote(info)
	}
	return &pb.GetInfoResponse{Info: info}, nil
}

func (h *hostileOrch) Transcode(pb.Orchestrator_TranscodeServer) error {
	h.transcodes.Add(1)
	return status.Error(codes.Internal, "a hostile orchestrator does no work")
}

// hostileAddress is the hostile orchestrator's claimed Ethereum address.
func hostileAddress() common.Address { return common.Address{0x66} }

// params are ticket params from the hostile orchestrator worth ev wei a
// ticket at face value face, for this chain and broker (which are public).
func (n *payNet) params(face *big.Int, ev *big.Rat, expiration uint64) *pb.TicketParams {
	return convert.ParamsToPB(&ticket.Params{
		Recipient: hostileAddress(), FaceValue: face, WinProb: ticket.WinProbFor(ev, face),
		RecipientRandHash: [32]byte{1}, Seed: make([]byte, 32), ExpirationBlock: expiration, ChainID: n.info.ChainID,
		Broker: n.info.TicketBroker,
	})
}

// gateway is a gateway's selector over nodes, paying from the funded dev
// account with a real sender on the chain.
func (n *payNet) gateway(t *testing.T, nodes []discovery.Node) *selection.Selector {
	t.Helper()
	bc, err := broker.New(n.ec, n.addrs, chain.DevKey(funded))
	if err != nil {
		t.Fatal(err)
	}
	oc := onchain.New(bc, n.ec)
	terms, err := oc.Terms(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	s, err := sender.New(sender.DefaultConfig(), chain.DevKey(funded), terms, oc, balancetest.Open(t))
	if err != nil {
		t.Fatal(err)
	}
	sel, err := selection.New(selection.DefaultConfig(), "gw", selection.Payments{Payer: s},
		func() []discovery.Node { return nodes }, slog.New(slog.DiscardHandler), selection.NewMetrics(prometheus.NewRegistry()))
	if err != nil {
		t.Fatal(err)
	}
	return sel
}
