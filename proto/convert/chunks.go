package convert

import (
	"errors"
	"fmt"

	"github.com/castmesh/castmesh/pkg/media"
	pb "github.com/castmesh/castmesh/proto/castmesh/v1"
)

// Errors of a malformed chunk sequence: a protocol violation by the peer.
var (
	ErrChunkOrder   = errors.New("rendition chunks out of order")
	ErrChunkOverrun = errors.New("rendition larger than announced")
	ErrIncomplete   = errors.New("renditions incomplete")
)

// SendRendition cuts rendition index into chunks and hands each to send.
// The first carries the rendition's info; the last is marked last.
func SendRendition(index int, r media.Rendition, send func(*pb.RenditionChunk) error) error {
	data := r.Data
	first := true
	for first || len(data) > 0 {
		n := min(len(data), ChunkSize)
		c := &pb.RenditionChunk{Index: uint32(index), Data: data[:n], Last: n == len(data)} //nolint:gosec // small index
		if first {
			c.Info = RenditionInfo(r)
			first = false
		}
		if err := send(c); err != nil {
			return err
		}
		data = data[n:]
	}
	return nil
}

// Assembler joins the chunks of a set of renditions back together.
type Assembler struct {
	profiles []media.Profile
	out      []media.Rendition
	done     []bool
	started  []bool
	maxBytes int64
	total    int64
}

// NewAssembler expects one rendition per profile, maxBytes in all.
func NewAssembler(profiles []media.Profile, maxBytes int64) *Assembler {
	return &Assembler{
		profiles: profiles, out: make([]media.Rendition, len(profiles)),
		done: make([]bool, len(profiles)), started: make([]bool, len(profiles)), maxBytes: maxBytes,
	}
}

// Add takes one chunk.
func (a *Assembler) Add(c *pb.RenditionChunk) error {
	i := int(c.GetIndex())
	if i >= len(a.out) || a.done[i] || (!a.started[i] && c.GetInfo() == nil) {
		return fmt.Errorf("%w: chunk for rendition %d", ErrChunkOrder, i)
	}
	r := &a.out[i]
	if info := c.GetInfo(); info != nil && !a.started[i] {
		a.started[i] = true
		*r = media.Rendition{
			Profile: a.profiles[i], Width: int(info.GetWidth()), Height: int(info.GetHeight()),
			Frames: int64(info.GetFrames()), Container: ContainerFromPB(info.GetContainer()), //nolint:gosec // counts
			Init: info.GetInit(), Codecs: info.GetCodecs(), Data: make([]byte, 0, max(0, min(info.GetSize(), a.maxBytes))),
		}
		a.total += int64(len(info.GetInit()))
	}
	a.total += int64(len(c.GetData()))
	if a.total > a.maxBytes {
		return fmt.Errorf("%w: over %d bytes", ErrChunkOverrun, a.maxBytes)
	}
	r.Data = append(r.Data, c.GetData()...)
	a.done[i] = c.GetLast()
	return nil
}

// Renditions returns the renditions once every one is complete.
func (a *Assembler) Renditions() ([]media.Rendition, error) {
	for i, d := range a.done {
		if !d {
			return nil, fmt.Errorf("%w: rendition %d of %d", ErrIncomplete, i, len(a.done))
		}
	}
	return a.out, nil
}
