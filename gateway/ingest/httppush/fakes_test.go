package httppush

import (
	"context"
	"sync"

	"github.com/castmesh/castmesh/gateway/ingest"
	"github.com/castmesh/castmesh/pkg/media"
)

// fakeOpener admits publishers through its open func.
type fakeOpener struct {
	open func(ctx context.Context, req ingest.OpenRequest) (ingest.Stream, error)
}

func (o *fakeOpener) Open(ctx context.Context, req ingest.OpenRequest) (ingest.Stream, error) {
	return o.open(ctx, req)
}

// fakeStream transcodes through its transcode func.
type fakeStream struct {
	id, playbackID string
	transcode      func(ctx context.Context, seg media.Segment) ([]media.Rendition, error)
	done           chan struct{}
	closeOnce      sync.Once
}

func (s *fakeStream) ID() string            { return s.id }
func (s *fakeStream) PlaybackID() string    { return s.playbackID }
func (s *fakeStream) Push(media.Segment)    {}
func (s *fakeStream) Done() <-chan struct{} { return s.done }
func (s *fakeStream) Close()                { s.closeOnce.Do(func() { close(s.done) }) }
func (s *fakeStream) Transcode(ctx context.Context, seg media.Segment) ([]media.Rendition, error) {
	return s.transcode(ctx, seg)
}

// ladderOf pretends to transcode: three renditions of the input's bytes,
// the last one fMP4 when fmp4 is set.
func ladderOf(seg media.Segment, fmp4 bool) []media.Rendition {
	out := []media.Rendition{
		{Profile: media.Profile{Name: "720p"}, Width: 1280, Height: 720, Frames: 60, Container: media.MPEGTS, Data: seg.Data},
		{Profile: media.Profile{Name: "480p"}, Width: 854, Height: 480, Frames: 60, Container: media.MPEGTS, Data: seg.Data[:len(seg.Data)/2]},
		{Profile: media.Profile{Name: "360p"}, Width: 640, Height: 360, Frames: 60, Container: media.MPEGTS, Data: seg.Data[:188]},
	}
	if fmp4 {
		out[2].Container, out[2].Init, out[2].Data = media.FMP4, []byte("ftypmoov"), []byte("moofmdat")
	}
	return out
}

// recorder is an Opener that admits known keys, records what it saw and
// transcodes with ladderOf.
type recorder struct {
	mu       sync.Mutex
	opens    []ingest.OpenRequest
	segments map[string][]media.Segment // by stream id
	streams  map[string]*fakeStream     // by key
	// fail makes Transcode fail for a key.
	fail map[string]error
}

func newRecorder(keys ...string) *recorder {
	r := &recorder{segments: map[string][]media.Segment{}, streams: map[string]*fakeStream{}, fail: map[string]error{}}
	for _, k := range keys {
		st := &fakeStream{id: "id-" + k, playbackID: "pb-" + k, done: make(chan struct{})}
		st.transcode = func(_ context.Context, seg media.Segment) ([]media.Rendition, error) {
			r.mu.Lock()
			defer r.mu.Unlock()
			if err := r.fail[k]; err != nil {
				return nil, err
			}
			r.segments[st.id] = append(r.segments[st.id], seg)
			return ladderOf(seg, false), nil
		}
		r.streams[k] = st
	}
	return r
}

func (r *recorder) opener() *fakeOpener {
	return &fakeOpener{open: func(_ context.Context, req ingest.OpenRequest) (ingest.Stream, error) {
		r.mu.Lock()
		defer r.mu.Unlock()
		r.opens = append(r.opens, req)
		st := r.streams[req.Key]
		if st == nil {
			return nil, ingest.ErrUnauthorized
		}
		return st, nil
	}}
}

func (r *recorder) opened() []ingest.OpenRequest {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]ingest.OpenRequest(nil), r.opens...)
}
