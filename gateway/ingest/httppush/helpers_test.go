package httppush

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/castmesh/castmesh/gateway/ingest"
	"github.com/castmesh/castmesh/pkg/httpjson"
	"github.com/castmesh/castmesh/pkg/media"
	"github.com/castmesh/castmesh/test/fixture"
)

// goodClip is cut into ten 2 s segments.
var goodClip = fixture.ClipSpec{Width: 640, Height: 360, FPS: 30, Duration: 20 * time.Second, GOP: 2 * time.Second, Audio: true}

// mpeg2Clip is valid MPEG-TS with a codec castmesh does not transcode.
var mpeg2Clip = fixture.ClipSpec{Width: 320, Height: 180, FPS: 25, Duration: 2 * time.Second, GOP: time.Second, VideoCodec: "mpeg2video"}

func readFiles(t testing.TB, paths []string) [][]byte {
	t.Helper()
	out := make([][]byte, len(paths))
	for i, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = b
	}
	return out
}

func goodSegments(t testing.TB) [][]byte {
	t.Helper()
	return readFiles(t, fixture.Segments(t, goodClip, 2*time.Second))
}

func mpeg2Segment(t testing.TB) []byte {
	t.Helper()
	return readFiles(t, fixture.Segments(t, mpeg2Clip, 2*time.Second))[0]
}

// audioOnlySegment is MPEG-TS with an AAC track and no video.
func audioOnlySegment(t testing.TB) []byte {
	t.Helper()
	fixture.RequireTool(t, "ffmpeg")
	out := filepath.Join(t.TempDir(), "audio.ts")
	cmd := exec.CommandContext(context.Background(), "ffmpeg", "-hide_banner", "-loglevel", "error",
		"-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:d=0.2", "-c:a", "aac", "-f", "mpegts", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg: %v\n%s", err, b)
	}
	return readFiles(t, []string{out})[0]
}

func newTestHandler(t testing.TB, cfg Config, opener ingest.Opener) (*Handler, *Metrics) {
	t.Helper()
	m := NewMetrics(prometheus.NewRegistry())
	h, err := New(cfg, opener, slog.New(slog.DiscardHandler), m)
	if err != nil {
		t.Fatal(err)
	}
	return h, m
}

func newTestServer(t *testing.T, cfg Config, opener ingest.Opener) (string, *Metrics) {
	t.Helper()
	h, m := newTestHandler(t, cfg, opener)
	mux := http.NewServeMux()
	mux.Handle("/live/", h)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL, m
}

type response struct {
	status int
	header http.Header
	body   []byte
}

// send makes one request; it is safe to call from many goroutines.
func send(ctx context.Context, method, url string, body []byte, header http.Header) (response, error) {
	req, err := http.NewRequestWithContext(ctx, method, url, bytes.NewReader(body))
	if err != nil {
		return response{}, err
	}
	for k, v := range header {
		req.Header[k] = v
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return response{}, err
	}
	defer func() { _ = res.Body.Close() }()
	b, err := io.ReadAll(res.Body)
	return response{status: res.StatusCode, header: res.Header, body: b}, err
}

// errorCode returns the code of a JSON error body, or "".
func errorCode(b []byte) string {
	var e httpjson.ErrorBody
	if json.Unmarshal(b, &e) != nil {
		return ""
	}
	return e.Error.Code
}

// probe returns what ProbeTS says about a test segment.
func probe(t testing.TB, data []byte) media.TSInfo {
	t.Helper()
	info, err := media.ProbeTS(data)
	if err != nil {
		t.Fatal(err)
	}
	return info
}

// waitForCount polls until the request counter for code is at least 1.
func waitForCount(t *testing.T, m *Metrics, code string) {
	t.Helper()
	fixture.Eventually(t, 10*time.Second, func() bool {
		return testutil.ToFloat64(m.Requests.WithLabelValues(code)) >= 1
	}, "a request counted as", code)
}
