package rpc

import (
	"context"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/castmesh/castmesh/orchestrator/pricing"
	"github.com/castmesh/castmesh/orchestrator/session"
	pb "github.com/castmesh/castmesh/proto/castmesh/v1"
	"github.com/castmesh/castmesh/proto/convert"
)

// GetInfo returns the orchestrator's terms with a fresh token and, with
// payments on, fresh ticket params for the asking gateway.
func (s *Server) GetInfo(ctx context.Context, req *pb.GetInfoRequest) (*pb.GetInfoResponse, error) {
	sender, err := convert.AddressFromPB(req.GetSender())
	if err != nil {
		return nil, toStatus(err)
	}
	info, err := s.info(ctx, req.GetSessionId(), sender)
	if err != nil {
		return nil, toStatus(err)
	}
	return &pb.GetInfoResponse{Info: info}, nil
}

// info builds OrchestratorInfo with a token for sessionID ("" = new
// session) and ticket params for sender (none for the zero address).
func (s *Server) info(ctx context.Context, sessionID string, sender common.Address) (*pb.OrchestratorInfo, error) {
	tok, err := s.sessions.Issue(sessionID)
	if err != nil {
		return nil, err
	}
	live, limit := s.sessions.Count()
	load := s.pool.Load()
	caps := &pb.Capabilities{Version: s.cfg.Version}
	for _, e := range s.pool.Encoders() {
		caps.Transcode = append(caps.Transcode, &pb.TranscodeCapability{
			Codec: convert.CodecToPB(e.Codec), Encoder: e.Name, Hardware: e.Hardware,
		})
	}
	for _, m := range s.pool.AIModels() {
		caps.Ai = append(caps.Ai, &pb.AICapability{
			Pipeline: m.Pipeline, ModelId: m.ModelID, Warm: m.Warm,
			Capacity: uint32(m.Capacity), InUse: uint32(m.InUse), //nolint:gosec // small counts
		})
	}
	info := &pb.OrchestratorInfo{
		Address:      s.cfg.Address,
		Capabilities: caps,
		AuthToken:    &pb.AuthToken{Token: tok.MAC, SessionId: tok.SessionID, Expiration: tok.Expiration.Unix()},
		Load: &pb.Load{
			Sessions: uint32(live), MaxSessions: uint32(limit), Workers: uint32(load.Workers), //nolint:gosec // small counts
			JobsInFlight: uint32(load.InFlight), JobCapacity: uint32(load.Capacity), //nolint:gosec // small counts
		},
		Signer: crypto.PubkeyToAddress(s.cfg.Signer.PublicKey).Bytes(),
	}
	if s.payments == nil {
		return info, nil
	}
	info.EthAddress = s.payments.Address().Bytes()
	price, _ := s.payments.Price(pricing.Transcode, "")
	info.Prices = []*pb.PriceInfo{{Capability: pricing.Transcode, PricePerUnit: convert.RatToPB(price)}}
	for _, m := range caps.GetAi() {
		if p, ok := s.payments.Price(m.GetPipeline(), m.GetModelId()); ok {
			info.Prices = append(info.Prices, &pb.PriceInfo{
				Capability: m.GetPipeline(), Constraint: m.GetModelId(), PricePerUnit: convert.RatToPB(p),
			})
		}
	}
	if sender != (common.Address{}) {
		params, err := s.payments.Params(ctx, sender)
		if err != nil {
			return nil, err
		}
		info.TicketParams = convert.ParamsToPB(params)
	}
	return info, nil
}

func tokenFromPB(t *pb.AuthToken) session.Token {
	return session.Token{SessionID: t.GetSessionId(), Expiration: time.Unix(t.GetExpiration(), 0), MAC: t.GetToken()}
}

// Ping echoes.
func (s *Server) Ping(_ context.Context, req *pb.PingRequest) (*pb.PingResponse, error) {
	return &pb.PingResponse{Value: req.GetValue()}, nil
}

// EndSession frees a session the gateway no longer uses.
func (s *Server) EndSession(_ context.Context, req *pb.EndSessionRequest) (*pb.EndSessionResponse, error) {
	tok := tokenFromPB(req.GetAuthToken())
	if err := s.sessions.Verify(tok); err != nil {
		return nil, toStatus(err)
	}
	s.sessions.End(tok.SessionID)
	return &pb.EndSessionResponse{}, nil
}
