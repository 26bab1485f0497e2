package convert

import (
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/castmesh/castmesh/pkg/media"
	pb "github.com/castmesh/castmesh/proto/castmesh/v1"
)

// FuzzAssembler feeds the assembler chunk messages decoded from arbitrary
// bytes, as a misbehaving peer would send them: it must refuse or assemble,
// never panic, and never hold more than its byte limit.
func FuzzAssembler(f *testing.F) {
	first, _ := proto.Marshal(&pb.RenditionChunk{Index: 0, Info: &pb.RenditionInfo{Name: "720p", Width: 2, Size: 3}, Data: []byte{1, 2}})
	last, _ := proto.Marshal(&pb.RenditionChunk{Index: 0, Data: []byte{3}, Last: true})
	f.Add(first, last)
	f.Add(last, first)
	f.Fuzz(func(t *testing.T, a, b []byte) {
		asm := NewAssembler(media.DefaultLadder()[:2], 64)
		for _, raw := range [][]byte{a, b, a} {
			var c pb.RenditionChunk
			if proto.Unmarshal(raw, &c) != nil {
				continue
			}
			if asm.Add(&c) != nil {
				return
			}
		}
		rs, err := asm.Renditions()
		if err != nil {
			return
		}
		total := 0
		for _, r := range rs {
			total += len(r.Data) + len(r.Init)
		}
		if total > 64 {
			t.Fatalf("assembled %d bytes over a 64-byte limit", total)
		}
	})
}

// FuzzProfilesFromPB decodes a ladder from arbitrary bytes, as an
// orchestrator gets it from a gateway (and a worker from its hub): the
// conversion never panics, refuses more than MaxProfiles rungs, and keeps
// each rung's fields.
func FuzzProfilesFromPB(f *testing.F) {
	seed, _ := proto.Marshal(&pb.SegmentHeader{Profiles: ProfilesToPB(media.DefaultLadder())})
	f.Add(seed)
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		var h pb.SegmentHeader
		if proto.Unmarshal(b, &h) != nil {
			return
		}
		ps, err := ProfilesFromPB(h.GetProfiles())
		if len(h.GetProfiles()) > MaxProfiles {
			if err == nil {
				t.Fatalf("a ladder of %d rungs was accepted", len(h.GetProfiles()))
			}
			return
		}
		if err != nil || len(ps) != len(h.GetProfiles()) {
			t.Fatalf("%d rungs converted to %d: %v", len(h.GetProfiles()), len(ps), err)
		}
		for i, p := range ps {
			if w := h.GetProfiles()[i].GetWidth(); int64(p.Width) != int64(w) || p.Name != h.GetProfiles()[i].GetName() {
				t.Fatalf("rung %d changed: %+v from %+v", i, p, h.GetProfiles()[i])
			}
		}
		_ = media.ValidateLadder(ps) // must not panic
	})
}
