package orchclient

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"

	"github.com/castmesh/castmesh/payments/ticket"
	"github.com/castmesh/castmesh/pkg/media"
	"github.com/castmesh/castmesh/pkg/tlscert"
	pb "github.com/castmesh/castmesh/proto/castmesh/v1"
	"github.com/castmesh/castmesh/proto/convert"
)

// Token is an orchestrator's session token, opaque to the gateway.
type Token struct {
	SessionID  string
	Expiration time.Time
	mac        []byte
}

// Load is how busy an orchestrator says it is.
type Load struct {
	Sessions, MaxSessions int
	Workers               int
	JobsInFlight          int
	JobCapacity           int
}

// Info is an orchestrator's terms.
type Info struct {
	Address string
	Version string
	// EthAddress is the orchestrator's Ethereum address, the tickets'
	// recipient; zero when payments are off.
	EthAddress common.Address
	// Signer is the address whose key signs the renditions returned.
	Signer common.Address
	// Price is wei per output pixel; nil when payments are off.
	Price *big.Rat
	// Params are fresh ticket params for this gateway; nil when payments
	// are off or the gateway did not say who it is.
	Params *ticket.Params
	// Codecs maps each codec the orchestrator's workers encode to whether
	// some worker does it in hardware.
	Codecs map[media.VideoCodec]bool
	// AI lists the AI models the orchestrator's workers serve, and AIPrices
	// their prices in wei per unit (payments on).
	AI       []AIModel
	AIPrices map[AIKey]*big.Rat
	Load     Load
	Token    Token
}

// AIKey names a pipeline's model.
type AIKey struct{ Pipeline, ModelID string }

// AIModel is an AI model an orchestrator offers.
type AIModel struct {
	AIKey
	Warm     bool
	Capacity int
	InUse    int
}

// Free reports whether the model has a free slot.
func (m AIModel) Free() bool { return m.InUse < m.Capacity }

// CanEncode reports whether every profile's codec is offered.
func (i Info) CanEncode(profiles []media.Profile) bool {
	for _, p := range profiles {
		if _, ok := i.Codecs[p.VideoCodec()]; !ok {
			return false
		}
	}
	return true
}

// Result is a transcoded segment.
type Result struct {
	Renditions []media.Rendition
	// BilledPixels is what the orchestrator charged for, and Balance the
	// session's credit after the charge as it reports them (payments on).
	BilledPixels int64
	Balance      *big.Rat
	// Signature is the orchestrator's over the renditions (pkg/attest).
	Signature []byte
	// Transcode is the time the worker spent; the rest of the round trip is
	// transfer and queueing.
	Transcode time.Duration
	// Info is the fresh terms the orchestrator sent with the result.
	Info Info
}

// Client talks to one orchestrator.
type Client struct {
	addr string
	conn *grpc.ClientConn
	rpc  pb.OrchestratorClient
	// maxBytes caps what one segment's renditions may add up to.
	maxBytes int64
}

// New prepares a client; the connection is made on first use.
func New(addr, fingerprint string, maxBytes int64) (*Client, error) {
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(credentials.NewTLS(tlscert.ClientConfig(fingerprint))))
	if err != nil {
		return nil, fmt.Errorf("orchestrator %s: %w", addr, err)
	}
	return &Client{addr: addr, conn: conn, rpc: pb.NewOrchestratorClient(conn), maxBytes: maxBytes}, nil
}

// Addr is the orchestrator's address.
func (c *Client) Addr() string { return c.addr }

// Close drops the connection.
func (c *Client) Close() error { return c.conn.Close() }

// GetInfo asks for terms and a token; sessionID "" opens a new session.
// With a sender address the terms include ticket params for it.
func (c *Client) GetInfo(ctx context.Context, gatewayID, sessionID string, sender common.Address) (Info, error) {
	req := &pb.GetInfoRequest{GatewayId: gatewayID, SessionId: sessionID}
	if sender != (common.Address{}) {
		req.Sender = sender.Bytes()
	}
	resp, err := c.rpc.GetInfo(ctx, req, grpc.MaxCallRecvMsgSize(MaxInfoBytes))
	if err != nil {
		return Info{}, fromStatus(err)
	}
	return infoFromPB(resp.GetInfo())
}

// EndSession tells the orchestrator a session is over.
func (c *Client) EndSession(ctx context.Context, tok Token) error {
	_, err := c.rpc.EndSession(ctx, &pb.EndSessionRequest{AuthToken: tokenToPB(tok)})
	return fromStatus(err)
}

func infoFromPB(p *pb.OrchestratorInfo) (Info, error) {
	if err := checkInfo(p); err != nil {
		return Info{}, err
	}
	info := Info{Address: p.GetAddress(), Version: p.GetCapabilities().GetVersion(), Codecs: map[media.VideoCodec]bool{}}
	for _, t := range p.GetCapabilities().GetTranscode() {
		c := convert.CodecFromPB(t.GetCodec())
		info.Codecs[c] = info.Codecs[c] || t.GetHardware()
	}
	for _, a := range p.GetCapabilities().GetAi() {
		info.AI = append(info.AI, AIModel{
			AIKey: AIKey{Pipeline: a.GetPipeline(), ModelID: a.GetModelId()}, Warm: a.GetWarm(),
			Capacity: int(a.GetCapacity()), InUse: int(a.GetInUse()),
		})
	}
	l := p.GetLoad()
	info.Load = Load{
		Sessions: int(l.GetSessions()), MaxSessions: int(l.GetMaxSessions()), Workers: int(l.GetWorkers()),
		JobsInFlight: int(l.GetJobsInFlight()), JobCapacity: int(l.GetJobCapacity()),
	}
	t := p.GetAuthToken()
	info.Token = Token{SessionID: t.GetSessionId(), Expiration: time.Unix(t.GetExpiration(), 0), mac: t.GetToken()}
	return info, paymentTerms(p, &info)
}

// paymentTerms reads the payment part of an orchestrator's info.
func paymentTerms(p *pb.OrchestratorInfo, info *Info) error {
	var err error
	if info.EthAddress, err = convert.AddressFromPB(p.GetEthAddress()); err != nil {
		return fmt.Errorf("%w: eth address: %w", ErrProtocol, err)
	}
	if info.Signer, err = convert.AddressFromPB(p.GetSigner()); err != nil {
		return fmt.Errorf("%w: signer: %w", ErrProtocol, err)
	}
	for _, pr := range p.GetPrices() {
		price, err := convert.RatFromPB(pr.GetPricePerUnit())
		if err != nil {
			return fmt.Errorf("%w: price of %s: %w", ErrProtocol, pr.GetCapability(), err)
		}
		if pr.GetCapability() == "transcode" {
			info.Price = price
			continue
		}
		if info.AIPrices == nil {
			info.AIPrices = map[AIKey]*big.Rat{}
		}
		info.AIPrices[AIKey{Pipeline: pr.GetCapability(), ModelID: pr.GetConstraint()}] = price
	}
	if p.GetTicketParams() != nil {
		if info.Params, err = convert.ParamsFromPB(p.GetTicketParams()); err != nil {
			return fmt.Errorf("%w: %w", ErrProtocol, err)
		}
	}
	return nil
}

func tokenToPB(t Token) *pb.AuthToken {
	return &pb.AuthToken{Token: t.mac, SessionId: t.SessionID, Expiration: t.Expiration.Unix()}
}

// Transcode uploads a segment with its payment (nil when payments are
// off) and waits for its renditions.
func (c *Client) Transcode(ctx context.Context, tok Token, streamID string, seg media.Segment, profiles []media.Profile, pay *ticket.Payment) (Result, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := c.rpc.Transcode(ctx)
	if err != nil {
		return Result{}, fromStatus(err)
	}
	if err := upload(stream, tok, streamID, seg, profiles, pay); err != nil {
		// The server may have ended the call already; its status says why.
		if _, rerr := stream.Recv(); rerr != nil && !errors.Is(rerr, io.EOF) {
			return Result{}, fromStatus(rerr)
		}
		return Result{}, fromStatus(err)
	}
	return c.receive(stream, seg.Seq, profiles)
}

func upload(stream pb.Orchestrator_TranscodeClient, tok Token, streamID string, seg media.Segment, profiles []media.Profile, pay *ticket.Payment) error {
	sum := sha256.Sum256(seg.Data)
	h := &pb.SegmentHeader{
		AuthToken: tokenToPB(tok), StreamId: streamID, Seq: seg.Seq, DurationMs: seg.Duration.Milliseconds(),
		StartPts: seg.StartPTS, Profiles: convert.ProfilesToPB(profiles), Container: pb.Container_CONTAINER_MPEGTS,
		Size: int64(len(seg.Data)), Sha256: sum[:], Payment: convert.PaymentToPB(pay),
	}
	if err := stream.Send(&pb.TranscodeRequest{Msg: &pb.TranscodeRequest_Header{Header: h}}); err != nil {
		return err
	}
	err := sendChunks(seg.Data, func(chunk []byte) error {
		return stream.Send(&pb.TranscodeRequest{Msg: &pb.TranscodeRequest_Chunk{Chunk: chunk}})
	})
	if err != nil {
		return err
	}
	return stream.CloseSend()
}

// sendChunks sends data in pieces of at most convert.ChunkSize.
func sendChunks(data []byte, send func([]byte) error) error {
	for len(data) > 0 {
		n := min(len(data), convert.ChunkSize)
		if err := send(data[:n]); err != nil {
			return err
		}
		data = data[n:]
	}
	return nil
}

func (c *Client) receive(stream pb.Orchestrator_TranscodeClient, seq int64, profiles []media.Profile) (Result, error) {
	asm := convert.NewAssembler(profiles, c.maxBytes)
	var res Result
	var ok bool
	for {
		resp, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return Result{}, fmt.Errorf("%w: stream ended before Done", ErrProtocol)
		}
		if err != nil {
			return Result{}, fromStatus(err)
		}
		if resp.GetInfo() != nil {
			if res.Info, err = infoFromPB(resp.GetInfo()); err != nil {
				return Result{}, err
			}
		}
		switch ev := resp.GetEvent().(type) {
		case *pb.TranscodeResponse_Rendition:
			if err := asm.Add(ev.Rendition); err != nil {
				return Result{}, fmt.Errorf("%w: %w", ErrProtocol, err)
			}
		case *pb.TranscodeResponse_Done:
			if ev.Done.GetSeq() != seq {
				return Result{}, fmt.Errorf("%w: done for seq %d, sent %d", ErrProtocol, ev.Done.GetSeq(), seq)
			}
			rs, err := asm.Renditions()
			if err != nil {
				return Result{}, fmt.Errorf("%w: %w", ErrProtocol, err)
			}
			res.Renditions = rs
			res.Transcode = time.Duration(ev.Done.GetTranscodeMs()) * time.Millisecond
			res.BilledPixels = int64(ev.Done.GetBilledPixels()) //nolint:gosec // a count
			res.Signature = ev.Done.GetSignature()
			if b := ev.Done.GetBalance(); b != "" {
				if res.Balance, ok = new(big.Rat).SetString(b); !ok {
					return Result{}, fmt.Errorf("%w: balance %q", ErrProtocol, b)
				}
			}
			return res, nil
		}
	}
}
