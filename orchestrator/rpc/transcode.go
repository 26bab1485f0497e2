package rpc

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/castmesh/castmesh/orchestrator/workers"
	"github.com/castmesh/castmesh/pkg/media"
	pb "github.com/castmesh/castmesh/proto/castmesh/v1"
	"github.com/castmesh/castmesh/proto/convert"
)

// maxSegmentDuration is the longest segment accepted, as Livepeer's 5 min.
const maxSegmentDuration = 5 * time.Minute

// Transcode receives one segment, has a worker transcode it and streams the
// renditions back.
func (s *Server) Transcode(stream pb.Orchestrator_TranscodeServer) error {
	ctx := stream.Context()
	job, sessionID, err := s.receive(stream)
	if err != nil {
		return toStatus(err)
	}
	logger := s.logger.With("stream", job.StreamID, "seq", job.Seq)
	info, err := s.info(sessionID)
	if err != nil {
		return toStatus(err)
	}
	accepted := &pb.TranscodeResponse{Event: &pb.TranscodeResponse_Accepted{Accepted: &pb.Accepted{Seq: job.Seq}}, Info: info}
	if err := stream.Send(accepted); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, s.cfg.JobTimeout)
	defer cancel()
	res, err := s.pool.Transcode(ctx, job)
	if err != nil {
		logger.Warn("segment failed", "err", err)
		return toStatus(err)
	}
	for i, r := range res.Renditions {
		err := convert.SendRendition(i, r, func(c *pb.RenditionChunk) error {
			return stream.Send(&pb.TranscodeResponse{Event: &pb.TranscodeResponse_Rendition{Rendition: c}})
		})
		if err != nil {
			return err
		}
	}
	if info, err = s.info(sessionID); err != nil {
		return toStatus(err)
	}
	logger.Debug("segment done", "worker", res.WorkerID, "elapsed", res.Elapsed)
	return stream.Send(&pb.TranscodeResponse{
		Event: &pb.TranscodeResponse_Done{Done: &pb.TranscodeDone{Seq: job.Seq, TranscodeMs: res.Elapsed.Milliseconds()}},
		Info:  info,
	})
}

// receive reads and checks the header and the segment bytes.
func (s *Server) receive(stream pb.Orchestrator_TranscodeServer) (workers.Job, string, error) {
	first, err := stream.Recv()
	if err != nil {
		return workers.Job{}, "", err
	}
	h := first.GetHeader()
	if h == nil {
		return workers.Job{}, "", errNoHeader
	}
	tok := tokenFromPB(h.GetAuthToken())
	if err := s.sessions.Verify(tok); err != nil {
		return workers.Job{}, "", err
	}
	profiles := convert.ProfilesFromPB(h.GetProfiles())
	if err := media.ValidateLadder(profiles); err != nil {
		return workers.Job{}, "", &profileError{err}
	}
	duration := time.Duration(h.GetDurationMs()) * time.Millisecond
	if duration <= 0 || duration > maxSegmentDuration {
		return workers.Job{}, "", fmt.Errorf("%w: %s", errBadDuration, duration)
	}
	if h.GetSize() <= 0 || h.GetSize() > s.cfg.MaxSegmentBytes {
		return workers.Job{}, "", fmt.Errorf("%w: %d bytes, limit %d", errTooLarge, h.GetSize(), s.cfg.MaxSegmentBytes)
	}
	data, err := receiveData(stream, h.GetSize())
	if err != nil {
		return workers.Job{}, "", err
	}
	if sum := sha256.Sum256(data); !bytes.Equal(sum[:], h.GetSha256()) {
		return workers.Job{}, "", errHashMismatch
	}
	if err := media.CheckTSFraming(data); err != nil {
		return workers.Job{}, "", err
	}
	// Only a whole, well-formed upload counts against the session limit.
	if err := s.sessions.Acquire(tok.SessionID); err != nil {
		return workers.Job{}, "", err
	}
	return workers.Job{
		// Stream ids are the gateway's; the session keeps two gateways'
		// streams apart.
		StreamID: tok.SessionID + "/" + h.GetStreamId(),
		Seq:      h.GetSeq(), Duration: duration, Profiles: profiles, Input: data,
	}, tok.SessionID, nil
}

func receiveData(stream pb.Orchestrator_TranscodeServer, size int64) ([]byte, error) {
	data := make([]byte, 0, size)
	for int64(len(data)) < size {
		msg, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%w: got %d of %d bytes", errSizeMismatch, len(data), size)
		}
		if err != nil {
			return nil, err
		}
		chunk := msg.GetChunk()
		if int64(len(data)+len(chunk)) > size || chunk == nil {
			return nil, errSizeMismatch
		}
		data = append(data, chunk...)
	}
	return data, nil
}
