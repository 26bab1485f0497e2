package httppush

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Names: a stream key as castmesh hands them out, and a rendition name as
// media.Profile allows it (names go into response headers verbatim).
var (
	streamName    = regexp.MustCompile(`^[A-Za-z0-9_-]{1,128}$`)
	renditionName = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)
)

// maxSide bounds Content-Resolution; 16384 is beyond every codec level
// castmesh transcodes.
const maxSide = 16384

// push is a parsed push request.
type push struct {
	key      string
	seq      int64
	duration time.Duration
	// width and height come from Content-Resolution; 0 when absent.
	width, height int
}

// parsePush checks everything about a push but its body: method, path
// (relative to /live/) and headers. The error is a *requestError.
func parsePush(cfg Config, method, path string, h http.Header) (push, error) {
	if method != http.MethodPut && method != http.MethodPost {
		return push{}, refuse(http.StatusMethodNotAllowed, "method_not_allowed", "use PUT or POST, not %s", method)
	}
	parts := strings.Split(path, "/")
	if len(parts) != 2 {
		return push{}, refuse(http.StatusNotFound, "not_found", "push to /live/{stream}/{seq}.ts")
	}
	p := push{key: parts[0]}
	if !streamName.MatchString(p.key) {
		return push{}, refuse(http.StatusBadRequest, "bad_stream_name", "stream name must be 1-128 of [A-Za-z0-9_-]")
	}
	seq, ok := strings.CutSuffix(parts[1], ".ts")
	if !ok {
		return push{}, refuse(http.StatusBadRequest, "bad_extension", "segments are pushed as {seq}.ts")
	}
	n, ok := parseUint(seq)
	if !ok {
		return push{}, refuse(http.StatusBadRequest, "bad_seq", "sequence number %q is not a non-negative integer", seq)
	}
	p.seq = n
	return p, p.parseHeaders(cfg, h)
}

func (p *push) parseHeaders(cfg Config, h http.Header) error {
	if h.Get("Content-Slice-From") != "" || h.Get("Content-Slice-To") != "" {
		return refuse(http.StatusBadRequest, "unsupported_header", "Content-Slice-From/To are not supported")
	}
	p.duration = cfg.DefaultDuration
	if v := h.Get("Content-Duration"); v != "" {
		ms, ok := parseUint(v)
		if !ok || ms == 0 || ms > cfg.MaxDuration.Milliseconds() {
			return refuse(http.StatusBadRequest, "bad_duration", "Content-Duration must be 1..%d milliseconds", cfg.MaxDuration.Milliseconds())
		}
		p.duration = time.Duration(ms) * time.Millisecond
	}
	if v := h.Get("Content-Resolution"); v != "" {
		w, hs, found := strings.Cut(v, "x")
		width, okW := parseUint(w)
		height, okH := parseUint(hs)
		if !found || !okW || !okH || width == 0 || height == 0 || width > maxSide || height > maxSide {
			return refuse(http.StatusBadRequest, "bad_resolution", "Content-Resolution must be WxH, 1..%d each", maxSide)
		}
		p.width, p.height = int(width), int(height)
	}
	return nil
}

// parseUint parses a decimal of 1-18 digits, nothing else.
func parseUint(s string) (int64, bool) {
	if s == "" || len(s) > 18 || strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' }) >= 0 {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}
