package hls

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/castmesh/castmesh/pkg/media"
	"github.com/castmesh/castmesh/test/fixture"
)

// clip is the source every test cuts into 2 s segments: small, with audio.
var clip = fixture.ClipSpec{Width: 640, Height: 360, FPS: 30, Duration: 6 * time.Second, GOP: 2 * time.Second, Audio: true}

// segment is one real MPEG-TS segment and what ProbeTS says about it.
type segment struct {
	data []byte
	info media.TSInfo
}

func realSegments(t *testing.T) []segment {
	t.Helper()
	var out []segment
	for _, p := range fixture.Segments(t, clip, 2*time.Second) {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		info, err := media.ProbeTS(data)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		out = append(out, segment{data: data, info: info})
	}
	return out
}

// ladder returns the renditions of one segment: the same real bytes under
// each name of the default ladder.
func ladder(s segment, names ...string) []media.Rendition {
	if len(names) == 0 {
		names = []string{"720p", "480p", "360p"}
	}
	out := make([]media.Rendition, len(names))
	for i, n := range names {
		out[i] = media.Rendition{
			Profile:   media.Profile{Name: n},
			Width:     s.info.Video.Width,
			Height:    s.info.Video.Height,
			Frames:    s.info.Video.Frames,
			Container: media.MPEGTS,
			Data:      s.data,
			Codecs:    s.info.Codecs(),
		}
	}
	return out
}

// fakeTS makes a small stand-in rendition for tests about ordering, where
// the bytes are never decoded.
func fakeTS(names ...string) []media.Rendition {
	out := make([]media.Rendition, len(names))
	for i, n := range names {
		out[i] = media.Rendition{
			Profile: media.Profile{Name: n}, Width: 640, Height: 360, Container: media.MPEGTS,
			Data: make([]byte, 188*10), Codecs: "avc1.64001e",
		}
	}
	return out
}

func testConfig() Config {
	cfg := DefaultConfig()
	cfg.Window = 3
	cfg.MaxPending = 4
	return cfg
}

func newTestServer(t *testing.T, cfg Config) (*Server, string) {
	t.Helper()
	s, err := New(cfg, slog.New(slog.DiscardHandler), NewMetrics(prometheus.NewRegistry()))
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/hls/", s)
	hs := httptest.NewServer(mux)
	t.Cleanup(hs.Close)
	return s, hs.URL
}

func open(t *testing.T, s *Server, id string) *Stream {
	t.Helper()
	st, err := s.Open(id)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

type response struct {
	status int
	header http.Header
	body   string
}

func do(t *testing.T, method, url string, header http.Header) response {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = res.Body.Close() }()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{status: res.StatusCode, header: res.Header, body: string(body)}
}

func get(t *testing.T, url string) response {
	t.Helper()
	return do(t, http.MethodGet, url, nil)
}

// mustGet fetches url and fails unless it answers 200.
func mustGet(t *testing.T, url string) string {
	t.Helper()
	r := get(t, url)
	if r.status != http.StatusOK {
		t.Fatalf("GET %s: %d %s", url, r.status, r.body)
	}
	return r.body
}

// waitFor polls cond until it holds, failing the test after a while.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	fixture.Eventually(t, 10*time.Second, cond, what)
}
