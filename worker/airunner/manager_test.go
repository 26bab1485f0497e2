package airunner

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/castmesh/castmesh/ai/pipeline"
	"github.com/castmesh/castmesh/ai/pipeline/pipelinetest"
	"github.com/castmesh/castmesh/test/fixture"
)

// painter is a fake built-in: text-to-image answering a small PNG, and
// image-to-video answering three frames. It blocks while hold is open.
type painter struct {
	pipe    pipeline.Name
	hold    chan struct{}
	started chan struct{}
	png     []byte
}

func (p *painter) Pipeline() pipeline.Name { return p.pipe }
func (p *painter) ModelID() string         { return "test/painter" }

func (p *painter) TextToImage(ctx context.Context, _ *pipeline.TextToImageParams) ([]pipeline.Media, error) {
	if p.hold != nil {
		p.started <- struct{}{}
		select {
		case <-p.hold:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return []pipeline.Media{{Data: p.png, MIME: "image/png", Seed: 5}}, nil
}

func (p *painter) ImageToVideo(context.Context, *pipeline.ImageToVideoParams) ([]pipeline.Media, error) {
	f := pipeline.Media{Data: p.png, MIME: "image/png", Seed: 8}
	return []pipeline.Media{f, f, f}, nil
}

func start(t *testing.T, cfg Config, models map[string]pipeline.Model) *Manager {
	t.Helper()
	m, err := New(t.Context(), cfg, func(_ context.Context, mc ModelConfig) (pipeline.Model, error) {
		return models[mc.Pipeline], nil
	}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	return m
}

func builtin(pipe string, capacity int) ModelConfig {
	return ModelConfig{Pipeline: pipe, ModelID: "test/painter", Warm: true, Capacity: capacity, Timeout: 10 * time.Second}
}

func testConfig(models ...ModelConfig) Config {
	cfg := DefaultConfig()
	cfg.HealthInterval = 100 * time.Millisecond
	cfg.Models = models
	return cfg
}

func inService(m *Manager, want int) func() bool {
	return func() bool {
		ms := m.Models()
		return len(ms) == 1 && ms[0].Capacity == want
	}
}

func TestBuiltinAnswersAndCapacity(t *testing.T) {
	p := &painter{pipe: pipeline.TextToImage, png: pipelinetest.PNG(t, 4, 4), hold: make(chan struct{}), started: make(chan struct{}, 1)}
	m := start(t, testConfig(builtin("text-to-image", 1)), map[string]pipeline.Model{"text-to-image": p})
	fixture.Eventually(t, 5*time.Second, inService(m, 1), "the runner to be healthy")
	job := Job{Pipeline: "text-to-image", ModelID: "test/painter", ContentType: "application/json", Body: []byte(`{"prompt":"x"}`)}

	var wg sync.WaitGroup
	var answer []byte
	var ct string
	wg.Go(func() {
		if err := m.Do(t.Context(), job, func(c string, b []byte) error {
			if c != "" {
				ct = c
			}
			answer = append(answer, b...)
			return nil
		}); err != nil {
			t.Error(err)
		}
	})
	// One slot: while it is taken, the next request is refused at once.
	<-p.started
	if err := m.Do(t.Context(), job, func(string, []byte) error { return nil }); !errors.Is(err, ErrBusy) {
		t.Fatalf("second request: %v", err)
	}
	close(p.hold)
	wg.Wait()
	r, err := pipeline.DecodeResponse(pipeline.TextToImage, answer)
	if err != nil || ct != "application/json" || r.(*pipeline.ImageResponse).Images[0].Seed != 5 {
		t.Fatalf("answer %q %s: %v", ct, answer, err)
	}
	if err := m.Do(t.Context(), Job{Pipeline: "upscale", ModelID: "x"}, nil); !errors.Is(err, ErrNoModel) {
		t.Fatalf("unknown model: %v", err)
	}
	// A request the runner refuses comes back as the caller's fault.
	bad := job
	bad.Body = []byte(`{"width":64}`)
	if err := m.Do(t.Context(), bad, func(string, []byte) error { return nil }); !pipeline.IsInputError(err) {
		t.Fatalf("bad request: %v", err)
	}
}

func TestExternalRunnerHealth(t *testing.T) {
	var mu sync.Mutex
	state, up := "OK", true
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if !up {
			http.Error(w, "down", http.StatusBadGateway)
			return
		}
		if r.Header.Get("Authorization") != "Bearer tok" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]string{"status": state})
	}))
	t.Cleanup(srv.Close)
	set := func(s string, ok bool) {
		mu.Lock()
		defer mu.Unlock()
		state, up = s, ok
	}
	mc := ModelConfig{Pipeline: "upscale", ModelID: "ext", URL: srv.URL, Token: "tok", Capacity: 3, Timeout: 10 * time.Second}
	m := start(t, testConfig(mc), nil)
	fixture.Eventually(t, 5*time.Second, inService(m, 3), "the runner to be in service")
	set("ERROR", true)
	fixture.Eventually(t, 5*time.Second, inService(m, 0), "an ERROR runner to leave service")
	if err := m.Do(t.Context(), Job{Pipeline: "upscale", ModelID: "ext"}, nil); !errors.Is(err, ErrUnhealthy) {
		t.Fatalf("unhealthy: %v", err)
	}
	set("OK", true)
	fixture.Eventually(t, 5*time.Second, inService(m, 3), "the runner to come back")
	set("OK", false)
	fixture.Eventually(t, 5*time.Second, inService(m, 0), "an unreachable runner to leave service")
	set("LOADING", true)
	fixture.Eventually(t, 5*time.Second, func() bool { return inService(m, 0)() }, "a loading runner to stay out")
}

func TestImageToVideoIsEncoded(t *testing.T) {
	fixture.RequireTool(t, "ffprobe")
	p := &painter{pipe: pipeline.ImageToVideo, png: pipelinetest.PNG(t, 64, 48)}
	m := start(t, testConfig(builtin("image-to-video", 1)), map[string]pipeline.Model{"image-to-video": p})
	fixture.Eventually(t, 5*time.Second, inService(m, 1))
	ct, body := pipelinetest.Form(t, map[string]string{"fps": "3", "width": "64", "height": "48"}, pipelinetest.Image(p.png))
	var answer []byte
	err := m.Do(t.Context(), Job{Pipeline: "image-to-video", ModelID: "test/painter", ContentType: ct, Body: body},
		func(_ string, b []byte) error { answer = append(answer, b...); return nil })
	if err != nil {
		t.Fatal(err)
	}
	r, err := pipeline.DecodeResponse(pipeline.ImageToVideo, answer)
	if err != nil {
		t.Fatal(err)
	}
	mt, mp4, err := pipeline.ParseDataURL(r.(*pipeline.ImageResponse).Images[0].URL)
	if err != nil || mt != "video/mp4" {
		t.Fatalf("%s: %v", mt, err)
	}
	path := filepath.Join(t.TempDir(), "v.mp4")
	if err := os.WriteFile(path, mp4, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.CommandContext(t.Context(), "ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0",
		"-show_entries", "stream=nb_read_frames,r_frame_rate,codec_name", "-of", "csv=p=0", path).Output()
	if err != nil || strings.TrimSpace(string(out)) != "h264,3/1,3" {
		t.Fatalf("ffprobe: %q %v", out, err)
	}
}
