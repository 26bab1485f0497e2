package convert

import (
	"bytes"
	"errors"
	"testing"

	"github.com/castmesh/castmesh/pkg/media"
	pb "github.com/castmesh/castmesh/proto/castmesh/v1"
)

func TestChunkRoundTrip(t *testing.T) {
	ladder := media.DefaultLadder()
	in := []media.Rendition{
		{Profile: ladder[0], Width: 1280, Height: 720, Frames: 60, Container: media.MPEGTS, Data: bytes.Repeat([]byte{1}, 2*ChunkSize+5), Codecs: "avc1.64001f"},
		{Profile: ladder[1], Width: 854, Height: 480, Frames: 60, Container: media.FMP4, Init: []byte("init"), Data: []byte{2}},
		{Profile: ladder[2], Width: 640, Height: 360, Frames: 60, Container: media.MPEGTS},
	}
	a := NewAssembler(ladder, 1<<30)
	var chunks int
	for i, r := range in {
		if err := SendRendition(i, r, func(c *pb.RenditionChunk) error { chunks++; return a.Add(c) }); err != nil {
			t.Fatal(err)
		}
	}
	if chunks != 5 {
		t.Fatalf("chunks %d, want 5", chunks)
	}
	out, err := a.Renditions()
	if err != nil {
		t.Fatal(err)
	}
	for i := range in {
		if !bytes.Equal(out[i].Data, in[i].Data) || out[i].Width != in[i].Width || out[i].Container != in[i].Container ||
			!bytes.Equal(out[i].Init, in[i].Init) || out[i].Codecs != in[i].Codecs || out[i].Profile != in[i].Profile {
			t.Fatalf("rendition %d differs", i)
		}
	}
}

func TestAssemblerRejects(t *testing.T) {
	ladder := media.DefaultLadder()[:1]
	info := &pb.RenditionInfo{Name: "720p"}
	tests := []struct {
		name   string
		chunks []*pb.RenditionChunk
		want   error
	}{
		{"data before info", []*pb.RenditionChunk{{Index: 0, Data: []byte{1}}}, ErrChunkOrder},
		{"index out of range", []*pb.RenditionChunk{{Index: 3, Info: info}}, ErrChunkOrder},
		{"after last", []*pb.RenditionChunk{{Index: 0, Info: info, Last: true}, {Index: 0, Data: []byte{1}}}, ErrChunkOrder},
		{"too big", []*pb.RenditionChunk{{Index: 0, Info: info, Data: make([]byte, 11)}}, ErrChunkOverrun},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := NewAssembler(ladder, 10)
			var err error
			for _, c := range tt.chunks {
				if err = a.Add(c); err != nil {
					break
				}
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %v", err)
			}
		})
	}
	if _, err := NewAssembler(ladder, 10).Renditions(); !errors.Is(err, ErrIncomplete) {
		t.Fatalf("empty: %v", err)
	}
}
