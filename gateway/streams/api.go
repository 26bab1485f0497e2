package streams

import (
	"net/http"
	"time"

	"github.com/castmesh/castmesh/pkg/httpjson"
)

// RenditionInfo describes one rung of a live stream.
type RenditionInfo struct {
	Name string `json:"name"`
	// Width and Height are the encoded size once a segment is done, the
	// profile's box before.
	Width   int    `json:"width"`
	Height  int    `json:"height"`
	Bitrate int    `json:"bitrate"`
	Codec   string `json:"codec"`
}

// Info describes a live stream in GET /api/streams.
type Info struct {
	ID          string          `json:"id"`
	PlaybackID  string          `json:"playback_id"`
	PlaybackURL string          `json:"playback_url"`
	Ingest      string          `json:"ingest"`
	StartedAt   time.Time       `json:"started_at"`
	Segments    int64           `json:"segments"`
	Failed      int64           `json:"failed_segments"`
	Dropped     int64           `json:"dropped_segments"`
	Renditions  []RenditionInfo `json:"renditions"`
}

// List describes the live streams, oldest first.
func (m *Manager) List() []Info {
	streams := m.all()
	out := make([]Info, 0, len(streams))
	for _, s := range streams {
		out = append(out, s.info())
	}
	return out
}

func (s *Stream) info() Info {
	s.mu.Lock()
	defer s.mu.Unlock()
	in := Info{
		ID: s.id, PlaybackID: s.playbackID, PlaybackURL: s.m.deps.PlaybackURL(s.playbackID),
		Ingest: string(s.protocol), StartedAt: s.started.UTC(), Segments: s.played, Failed: s.failed, Dropped: s.dropped,
	}
	for _, p := range s.profiles {
		r := RenditionInfo{Name: p.Name, Width: p.Width, Height: p.Height, Bitrate: p.Bitrate, Codec: string(p.VideoCodec())}
		if wh, ok := s.encoded[p.Name]; ok {
			r.Width, r.Height = wh[0], wh[1]
		}
		in.Renditions = append(in.Renditions, r)
	}
	return in
}

// ServeHTTP serves GET /api/streams.
func (m *Manager) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		httpjson.Error(w, http.StatusMethodNotAllowed, "method_not_allowed", "use GET")
		return
	}
	httpjson.Write(w, http.StatusOK, map[string]any{"streams": m.List()})
}
