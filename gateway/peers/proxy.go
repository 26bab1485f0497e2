package peers

import (
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
)

// proxiedHeader marks a request one gateway passed to another, which then
// answers it itself: no request goes round the cluster.
const proxiedHeader = "X-Castmesh-Proxied"

// HLS serves /hls/{playbackId}/…: from local when the stream is live here,
// by proxy from the gateway where it is live elsewhere, else from local
// (an ended stream's recording, or 404).
func (p *Peers) HLS(local http.Handler, liveHere func(playbackID string) bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, _, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/hls/"), "/")
		if id == "" || r.Header.Get(proxiedHeader) != "" || liveHere(id) {
			local.ServeHTTP(w, r)
			return
		}
		owner, ok := p.Owner(id)
		if !ok {
			local.ServeHTTP(w, r)
			return
		}
		target, err := url.Parse(owner)
		if err != nil {
			local.ServeHTTP(w, r)
			return
		}
		proxy := &httputil.ReverseProxy{
			Transport: p.transport,
			Rewrite: func(pr *httputil.ProxyRequest) {
				pr.SetURL(target)
				pr.Out.Header.Set(proxiedHeader, "1")
			},
			ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
				p.logger.Warn("proxying HLS to the owning gateway failed", "owner", owner, "path", r.URL.Path, "err", err)
				local.ServeHTTP(w, r)
			},
		}
		proxy.ServeHTTP(w, r)
	})
}
