package gateway

import (
	"log/slog"
	"net/http"

	"github.com/castmesh/castmesh/gateway/apikey"
	"github.com/castmesh/castmesh/pkg/httpjson"
)

// listing guards /api/streams, which names every live stream's playback
// id, private ones included: it needs a key of scope streams unless the
// keyring is open (loopback without keys).
func (g *Gateway) listing(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := g.keys.Authenticate(r, apikey.ScopeStreams); err != nil {
			status, code, _ := apikey.HTTPStatus(err)
			apikey.SetHeaders(w, err)
			httpjson.Error(w, status, code, err.Error())
			return
		}
		next.ServeHTTP(w, r)
	})
}

// logExposure says at startup what is open to whom: each listener, whether
// it is loopback only, and which routes need keys.
func (g *Gateway) logExposure() {
	logExposure(g.logger, g.cfg, g.keys, g.httpLn.Addr().String(), g.RTMPAddr(), g.AdminAddr())
}

func logExposure(logger *slog.Logger, cfg Config, keys *apikey.Keyring, httpAddr, rtmpAddr, adminAddr string) {
	reach := func(addr string) string {
		if apikey.IsLoopback(addr) {
			return "loopback"
		}
		return "public"
	}
	logger.Info("listener", "name", "http", "addr", httpAddr, "reach", reach(httpAddr),
		"serves", "HLS playback (open), HTTP push (stream keys), /api/streams, AI API, VOD API")
	logger.Info("listener", "name", "rtmp", "addr", rtmpAddr, "reach", reach(rtmpAddr), "needs", "stream keys")
	logger.Info("listener", "name", "admin", "addr", adminAddr, "reach", reach(adminAddr), "needs", "nothing: keep it on loopback")
	if !apikey.IsLoopback(adminAddr) {
		logger.Warn("the admin port has no authentication and listens beyond loopback", "addr", adminAddr)
	}
	if cfg.Auth.AllowAnyKey {
		logger.Warn("auth.allow_any_key: any stream key may publish (devnet only)")
	}
	if cfg.PublicURL == "" && !apikey.IsLoopback(httpAddr) {
		logger.Warn("public_url is not set: playback and result URLs name the bound address", "addr", httpAddr)
	}
	routes := "/api/streams"
	if cfg.AI.Enabled {
		routes = "the AI API and /api/streams"
	}
	switch {
	case keys.Open() && apikey.IsLoopback(httpAddr) && len(cfg.TrustedProxies) == 0:
		logger.Info("AI API open without keys on loopback; /api/streams lists every stream", "ai", cfg.AI.Enabled)
	case keys.Open():
		logger.Warn("api_keys.require never: "+routes+" are open to anyone who reaches them", "ai_spends_deposit", cfg.AI.Enabled)
	case keys.Len() == 0:
		logger.Warn(routes+" need API keys and none is configured: every such request is refused", "key", "api_keys.keys")
	default:
		logger.Info(routes+" need API keys", "keys", keys.Len())
	}
	if cfg.VOD.Enabled && len(cfg.VOD.APIKeys) == 0 {
		logger.Info("VOD API open without keys on loopback")
	}
}
