package rpc

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"fmt"

	"github.com/castmesh/castmesh/orchestrator/workers"
	pb "github.com/castmesh/castmesh/proto/castmesh/v1"
	"github.com/castmesh/castmesh/proto/convert"
)

// maxWorkerCapacity bounds what one worker may claim.
const maxWorkerCapacity = 256

// hub serves WorkerHub.
type hub struct {
	pb.UnimplementedWorkerHubServer
	server *Server
}

// Connect registers a worker and serves its stream until it ends; the
// worker's jobs in flight then fail over to other workers.
func (h *hub) Connect(stream pb.WorkerHub_ConnectServer) error {
	s := h.server
	first, err := stream.Recv()
	if err != nil {
		return err
	}
	reg := first.GetRegister()
	if reg == nil {
		return toStatus(errNoRegister)
	}
	if subtle.ConstantTimeCompare([]byte(reg.GetSecret()), []byte(s.cfg.WorkerSecret)) != 1 {
		s.logger.Warn("worker refused: wrong secret", "worker", reg.GetWorkerId())
		return toStatus(errBadSecret)
	}
	info, err := workerInfo(reg)
	if err != nil {
		return toStatus(err)
	}
	conn := newWorkerConn(stream, info.ID, s.cfg.MaxSegmentBytes*16)
	conn.onAI = func(models []workers.AIModel) { s.pool.UpdateAI(info.ID, models) }
	remove, err := s.pool.Add(info, conn)
	if err != nil {
		return toStatus(err)
	}
	defer remove()
	err = conn.send(&pb.ConnectResponse{Msg: &pb.ConnectResponse_Registered{Registered: &pb.Registered{
		WorkerId: info.ID, HeartbeatIntervalMs: s.cfg.Heartbeat.Milliseconds(),
	}}})
	if err != nil {
		return err
	}
	err = conn.serve(3 * s.cfg.Heartbeat)
	s.logger.Info("worker stream ended", "worker", info.ID, "reason", err)
	return toStatus(err)
}

func workerInfo(reg *pb.Register) (workers.Info, error) {
	id := reg.GetWorkerId()
	if id == "" {
		b := make([]byte, 4)
		if _, err := rand.Read(b); err != nil {
			return workers.Info{}, err
		}
		id = "worker-" + hex.EncodeToString(b)
	}
	capacity := int(reg.GetCapacity())
	if capacity < 1 || capacity > maxWorkerCapacity {
		return workers.Info{}, fmt.Errorf("%w: %d, want 1..%d", errBadCapacity, capacity, maxWorkerCapacity)
	}
	info := workers.Info{ID: id, Capacity: capacity, AI: aiModelsFromPB(reg.GetCapabilities().GetAi())}
	for _, c := range reg.GetCapabilities().GetTranscode() {
		info.Encoders = append(info.Encoders, workers.Encoder{
			Codec: convert.CodecFromPB(c.GetCodec()), Name: c.GetEncoder(), Hardware: c.GetHardware(),
		})
	}
	return info, nil
}

// aiModelsFromPB reads the AI models a worker serves; capacities are
// bounded like the worker's own.
func aiModelsFromPB(caps []*pb.AICapability) []workers.AIModel {
	out := make([]workers.AIModel, 0, len(caps))
	for _, c := range caps {
		if c.GetPipeline() == "" || c.GetModelId() == "" {
			continue
		}
		out = append(out, workers.AIModel{
			Pipeline: c.GetPipeline(), ModelID: c.GetModelId(), Warm: c.GetWarm(),
			Capacity: int(min(c.GetCapacity(), maxWorkerCapacity)),
		})
	}
	return out
}
