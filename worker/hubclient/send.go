package hubclient

import (
	"github.com/castmesh/castmesh/pkg/media"
	pb "github.com/castmesh/castmesh/proto/castmesh/v1"
	"github.com/castmesh/castmesh/proto/convert"
)

func (s *session) sendRenditions(id uint64, rs []media.Rendition) error {
	for i, r := range rs {
		err := convert.SendRendition(i, r, func(c *pb.RenditionChunk) error {
			return s.send(&pb.ConnectRequest{Msg: &pb.ConnectRequest_Output{Output: &pb.JobOutput{JobId: id, Chunk: c}}})
		})
		if err != nil {
			return err
		}
	}
	return nil
}
