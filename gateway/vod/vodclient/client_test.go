package vodclient_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/castmesh/castmesh/gateway/vod"
	"github.com/castmesh/castmesh/gateway/vod/vodclient"
	"github.com/castmesh/castmesh/pkg/media"
	"github.com/castmesh/castmesh/test/fixture"
)

// passthrough answers every segment with itself, once per profile: enough
// for a job whose profile keeps the source's size and codec.
type passthrough struct{}

func (passthrough) Transcode(_ context.Context, _ string, seg media.Segment, profiles []media.Profile) ([]media.Rendition, error) {
	info, err := media.ProbeTS(seg.Data)
	if err != nil {
		return nil, err
	}
	var out []media.Rendition
	for _, p := range profiles {
		out = append(out, media.Rendition{
			Profile: p, Width: info.Video.Width, Height: info.Video.Height,
			Frames: info.Video.Frames, Container: media.MPEGTS, Data: seg.Data, Codecs: info.Codecs(),
		})
	}
	return out, nil
}

func (passthrough) EndStream(context.Context, string) {}

// countingTransport counts the part uploads that reach the gateway.
type countingTransport struct{ parts atomic.Int64 }

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Method == http.MethodPut && strings.Contains(r.URL.Path, "/parts/") {
		c.parts.Add(1)
	}
	return http.DefaultTransport.RoundTrip(r)
}

// TestResumeAndRun: an upload interrupted after its first part resumes
// from the second part in a new run; the job then runs and downloads.
func TestResumeAndRun(t *testing.T) {
	fixture.RequireTool(t, "ffmpeg")
	file := fixture.Clip(t, fixture.ClipSpec{
		Width: 640, Height: 360, FPS: 30, Duration: 8 * time.Second, GOP: 2 * time.Second,
		Audio: true, Format: "mp4", Bitrate: 5_000_000,
	})
	cfg := vod.DefaultConfig()
	cfg.Enabled, cfg.Store, cfg.MediaDir = true, filepath.Join(t.TempDir(), "vod.db"), filepath.Join(t.TempDir(), "media")
	cfg.RateLimit = vod.RateLimitConfig{}
	api, err := vod.New(t.Context(), cfg, "", vod.Deps{Transcoder: passthrough{}}, slog.New(slog.DiscardHandler),
		vod.NewMetrics(prometheus.NewRegistry()))
	if err != nil {
		t.Fatal(err)
	}
	defer api.Close()
	ctx, stop := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { _ = api.Run(ctx); close(done) }()
	defer func() { stop(); <-done }()
	srv := httptest.NewServer(api.Handler())
	defer srv.Close()

	tr := &countingTransport{}
	c := &vodclient.Client{Base: srv.URL, HTTP: &http.Client{Transport: tr}, StateDir: t.TempDir(), ChunkSize: 1 << 20}
	st, err := os.Stat(file)
	if err != nil {
		t.Fatal(err)
	}
	parts := (st.Size() + 1<<20 - 1) >> 20
	if parts < 4 {
		t.Fatalf("the clip is %d bytes: too small to interrupt", st.Size())
	}
	// The first run stops after two parts, as a client killed would.
	first, cancel := context.WithCancel(t.Context())
	_, err = c.Upload(first, file, func(done, _ int64) {
		if done >= 2<<20 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted upload: %v", err)
	}
	if tr.parts.Load() != 2 && tr.parts.Load() != 3 { // the third may have been on its way
		t.Fatalf("%d parts sent before the interruption", tr.parts.Load())
	}
	before := tr.parts.Load()
	states, _ := os.ReadDir(c.StateDir)
	if len(states) != 1 {
		t.Fatalf("%d resume states kept", len(states))
	}
	var shown []int64
	id, err := c.Upload(t.Context(), file, func(done, _ int64) { shown = append(shown, done) })
	if err != nil {
		t.Fatal(err)
	}
	// The second run sends only what the gateway lacks.
	if sent := tr.parts.Load() - before; sent > parts-2 || shown[0] < 2<<20 {
		t.Fatalf("the resumed run sent %d of %d parts, starting from %d bytes", sent, parts, shown[0])
	}
	if shown[len(shown)-1] != st.Size() {
		t.Fatalf("progress ended at %d of %d", shown[len(shown)-1], st.Size())
	}
	if states, _ := os.ReadDir(c.StateDir); len(states) != 0 {
		t.Fatalf("resume state left after completing")
	}
	j, err := c.CreateJob(t.Context(), map[string]any{"source": map[string]any{"type": "upload", "upload_id": id}, "profile": "h264-fast"}, id+":job")
	if err != nil {
		t.Fatal(err)
	}
	again, err := c.CreateJob(t.Context(), map[string]any{"source": map[string]any{"type": "upload", "upload_id": id}, "profile": "h264-fast"}, id+":job")
	if err != nil || again.ID != j.ID {
		t.Fatalf("a repeated create made job %s, want %s (%v)", again.ID, j.ID, err)
	}
	var phases []string
	j, err = c.Wait(t.Context(), j.ID, func(j vodclient.Job) { phases = append(phases, j.Status) })
	if err != nil || j.Status != "completed" || len(phases) == 0 {
		t.Fatalf("wait: %+v %v", j, err)
	}
	out := filepath.Join(t.TempDir(), "out.mp4")
	if err := c.Download(t.Context(), j, out); err != nil {
		t.Fatal(err)
	}
	if got, err := os.Stat(out); err != nil || got.Size() != j.Result.Output.Bytes {
		t.Fatalf("downloaded %v (%v), want %d bytes", got, err, j.Result.Output.Bytes)
	}
	var apiErr *vodclient.APIError
	if _, err := c.CreateJob(t.Context(), map[string]any{"source": map[string]any{"type": "upload", "upload_id": id}, "profile": "best"}, "x"); !errors.As(err, &apiErr) || apiErr.Code != "unknown_profile" {
		t.Fatalf("bad profile: %v", err)
	}
}
