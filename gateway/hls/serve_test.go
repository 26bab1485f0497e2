package hls

import (
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bluenviron/gohlslib/v2/pkg/playlist"

	"github.com/castmesh/castmesh/pkg/httpjson"
)

func TestHTTP(t *testing.T) {
	segs := realSegments(t)
	s, base := newTestServer(t, testConfig())
	open(t, s, "empty")
	st := open(t, s, "h")
	st.Add(0, segs[0].info.Duration, ladder(segs[0]))
	ended := open(t, s, "done")
	ended.Add(0, segs[0].info.Duration, ladder(segs[0]))
	ended.End()

	ranged := http.Header{"Range": {"bytes=0-187"}}
	cases := []struct {
		name   string
		method string
		path   string
		header http.Header
		status int
		ctype  string
		cache  string
		code   string // JSON error code
		size   int    // body length when not 0
	}{
		{"master", "GET", "/hls/h/index.m3u8", nil, 200, typePlaylist, "public, max-age=1", "", 0},
		{"media", "GET", "/hls/h/720p/index.m3u8", nil, 200, typePlaylist, "public, max-age=1", "", 0},
		{"segment", "GET", "/hls/h/360p/0.ts", nil, 200, typeTS, "public, max-age=3600", "", len(segs[0].data)},
		{"segment range", "GET", "/hls/h/360p/0.ts", ranged, 206, typeTS, "public, max-age=3600", "", 188},
		{"segment head", "HEAD", "/hls/h/360p/0.ts", nil, 200, typeTS, "public, max-age=3600", "", 0},
		{"ended master", "GET", "/hls/done/index.m3u8", nil, 200, typePlaylist, "public, max-age=3600", "", 0},
		{"ended media", "GET", "/hls/done/480p/index.m3u8", nil, 200, typePlaylist, "public, max-age=3600", "", 0},
		{"master before segments", "GET", "/hls/empty/index.m3u8", nil, 404, "application/json", "no-cache", "playlist_not_ready", 0},
		{"unknown stream", "GET", "/hls/nope/index.m3u8", nil, 404, "application/json", "no-cache", "stream_not_found", 0},
		{"unknown rendition", "GET", "/hls/h/1080p/index.m3u8", nil, 404, "application/json", "no-cache", "rendition_not_found", 0},
		{"unknown segment", "GET", "/hls/h/720p/9.ts", nil, 404, "application/json", "no-cache", "segment_not_found", 0},
		{"wrong extension", "GET", "/hls/h/720p/0.m4s", nil, 404, "application/json", "no-cache", "segment_not_found", 0},
		{"init of a TS rendition", "GET", "/hls/h/720p/init-0.mp4", nil, 404, "application/json", "no-cache", "segment_not_found", 0},
		{"bad path", "GET", "/hls/h/720p/x/0.ts", nil, 404, "application/json", "no-cache", "not_found", 0},
		{"leading zero", "GET", "/hls/h/720p/00.ts", nil, 404, "application/json", "no-cache", "not_found", 0},
		{"post", "POST", "/hls/h/index.m3u8", nil, 405, "application/json", "no-cache", "method_not_allowed", 0},
		{"preflight", "OPTIONS", "/hls/h/index.m3u8", nil, 204, "", "", "", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := do(t, c.method, base+c.path, c.header)
			h := r.header
			if r.status != c.status || h.Get("Content-Type") != c.ctype || h.Get("Cache-Control") != c.cache {
				t.Fatalf("status %d type %q cache %q: %s", r.status, h.Get("Content-Type"), h.Get("Cache-Control"), r.body)
			}
			if h.Get("Access-Control-Allow-Origin") != "*" {
				t.Fatal("no CORS header")
			}
			if c.code != "" {
				var e httpjson.ErrorBody
				if err := json.Unmarshal([]byte(r.body), &e); err != nil || e.Error.Code != c.code {
					t.Fatalf("error body %q, want code %s", r.body, c.code)
				}
			}
			if c.size != 0 && len(r.body) != c.size {
				t.Fatalf("body %d bytes, want %d", len(r.body), c.size)
			}
			if c.method == http.MethodHead && (r.body != "" || h.Get("Content-Length") != strconv.Itoa(len(segs[0].data))) {
				t.Fatalf("HEAD: body %d bytes, Content-Length %q", len(r.body), h.Get("Content-Length"))
			}
		})
	}
	if got := do(t, "POST", base+"/hls/h/index.m3u8", nil).header.Get("Allow"); got != "GET, HEAD, OPTIONS" {
		t.Fatalf("Allow %q", got)
	}
}

// TestMasterAttributes checks RESOLUTION, CODECS and the bit rates: the peak
// and average over every segment, container overhead included.
func TestMasterAttributes(t *testing.T) {
	segs := realSegments(t)
	s, base := newTestServer(t, testConfig())
	st := open(t, s, "m")
	var peak float64
	var bytes int
	var dur time.Duration
	for i, sg := range segs {
		rs := ladder(sg, "hi", "lo")
		rs[1].Width, rs[1].Height, rs[1].Profile.FPS = 320, 180, 30
		st.Add(int64(i), sg.info.Duration, rs)
		peak = math.Max(peak, float64(len(sg.data))*8/sg.info.Duration.Seconds())
		bytes += len(sg.data)
		dur += sg.info.Duration
	}
	var m playlist.Multivariant
	if err := m.Unmarshal([]byte(mustGet(t, base+"/hls/m/index.m3u8"))); err != nil {
		t.Fatal(err)
	}
	if len(m.Variants) != 2 || m.Variants[0].URI != "hi/index.m3u8" || m.Variants[1].URI != "lo/index.m3u8" {
		t.Fatalf("variants %+v", m.Variants)
	}
	hi, lo := m.Variants[0], m.Variants[1]
	wantAvg := int(math.Ceil(float64(bytes) * 8 / dur.Seconds()))
	if hi.Bandwidth != int(math.Ceil(peak)) || hi.AverageBandwidth == nil || *hi.AverageBandwidth != wantAvg {
		t.Fatalf("bandwidth %d average %v, want %v and %d", hi.Bandwidth, hi.AverageBandwidth, math.Ceil(peak), wantAvg)
	}
	if hi.Resolution != "640x360" || lo.Resolution != "320x180" || strings.Join(hi.Codecs, ",") != segs[0].info.Codecs() {
		t.Fatalf("resolution %s %s codecs %v", hi.Resolution, lo.Resolution, hi.Codecs)
	}
	if hi.FrameRate != nil || lo.FrameRate == nil || *lo.FrameRate != 30 {
		t.Fatalf("frame rates %v %v", hi.FrameRate, lo.FrameRate)
	}
}

func TestOpen(t *testing.T) {
	s, _ := newTestServer(t, testConfig())
	cases := []struct {
		name string
		id   string
		want error
	}{
		{"empty id", "", ErrBadPlaybackID},
		{"slash", "a/b", ErrBadPlaybackID},
		{"too long", strings.Repeat("a", 129), ErrBadPlaybackID},
		{"fresh", "one", nil},
		{"live twice", "one", ErrStreamLive},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := s.Open(c.id); !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
		})
	}
	s.stream("one").End()
	if _, err := s.Open("one"); err != nil {
		t.Fatalf("reopen after End: %v", err)
	}
}
