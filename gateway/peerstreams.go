package gateway

import (
	"net/http"

	"github.com/castmesh/castmesh/gateway/streams"
	"github.com/castmesh/castmesh/pkg/httpjson"
)

// listedStream is one entry of /api/streams in a cluster: a live stream
// here, or one another gateway owns (Gateway names it), which this
// gateway serves by proxy at the same playback URL.
type listedStream struct {
	streams.Info
	Gateway string `json:"gateway,omitempty"`
}

// serveStreams answers /api/streams with every live stream of the
// cluster.
func (g *Gateway) serveStreams(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		httpjson.Error(w, http.StatusMethodNotAllowed, "method_not_allowed", "use GET")
		return
	}
	var out []listedStream
	here := map[string]bool{}
	for _, s := range g.streams.List() {
		here[s.PlaybackID] = true
		out = append(out, listedStream{Info: s})
	}
	for _, rs := range g.peers.Remote() {
		if here[rs.PlaybackID] {
			continue // live here again: a republish the owner has not noticed yet
		}
		rs.PlaybackURL = g.PlaybackURL(rs.PlaybackID)
		out = append(out, listedStream{Info: rs.Info, Gateway: rs.Gateway})
	}
	if out == nil {
		out = []listedStream{}
	}
	httpjson.Write(w, http.StatusOK, map[string]any{"streams": out})
}
