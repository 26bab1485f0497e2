package bench

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/castmesh/castmesh/ai/builtin"
	"github.com/castmesh/castmesh/ai/pipeline/pipelinetest"
	"github.com/castmesh/castmesh/ai/runnerapi"
	"github.com/castmesh/castmesh/test/fixture"
	"github.com/castmesh/castmesh/test/harness"
)

// aiCase is one request both sides answer.
type aiCase struct {
	name, pipeline, model string
	contentType           string
	body                  []byte
}

func aiCases(b *testing.B) []aiCase {
	js := func(v any) []byte {
		out, err := json.Marshal(v)
		if err != nil {
			b.Fatal(err)
		}
		return out
	}
	ct, form := pipelinetest.Form(b, map[string]string{"prompt": "sharper", "model_id": "upscalerjs/esrgan-slim-x2"},
		pipelinetest.Image(pipelinetest.PNG(b, 256, 256)))
	return []aiCase{
		{
			"text-to-image 512²", "text-to-image", "procedural/seeded-noise", "application/json",
			js(map[string]any{"prompt": "a lighthouse", "width": 512, "height": 512, "seed": 1, "model_id": "procedural/seeded-noise"}),
		},
		{"upscale ESRGAN-slim x2 256²", "upscale", "upscalerjs/esrgan-slim-x2", ct, form},
		{
			"text-to-speech 9 words", "text-to-speech", "cmu/flite-arctic", "application/json",
			js(map[string]string{"text": "the quick brown fox jumped over the lazy dog", "model_id": "cmu/flite-arctic"}),
		},
	}
}

// BenchmarkAILatency sends the same requests to the devnet's gateway (→
// orchestrator → worker → built-in runner, paid with tickets) and to the
// same built-in model behind its runner server called directly, alternating,
// and reports both medians and the time the network adds. Both answer with
// data URLs, so both carry the same bytes back.
func BenchmarkAILatency(b *testing.B) {
	assets := fixture.AIAssets(b)
	fixture.RequireTool(b, "flite")
	d := harness.StartDevnet(b, binary, "--ai-assets", assets, "--log.level", "warn")
	for _, c := range aiCases(b) {
		b.Run(c.name, func(b *testing.B) {
			direct := directRunner(b, c, assets)
			post(b, direct+"/"+c.pipeline, c) // warm both: load weights, open connections
			post(b, d.HTTP+"/"+c.pipeline+"?media=data", c)
			var ours, bare []time.Duration
			for b.Loop() {
				for range rounds {
					bare = append(bare, post(b, direct+"/"+c.pipeline, c))
					ours = append(ours, post(b, d.HTTP+"/"+c.pipeline+"?media=data", c))
				}
			}
			o, r := median(ours), median(bare)
			b.ReportMetric(ms(o), "network-ms/req")
			b.ReportMetric(ms(r), "direct-ms/req")
			b.ReportMetric(ms(o-r), "added-ms/req")
			b.ReportMetric(float64(o)/float64(r), "ratio")
		})
	}
}

// directRunner serves the case's built-in model over the ai-runner API on
// loopback, in this process, warm.
func directRunner(b *testing.B, c aiCase, assets string) string {
	b.Helper()
	log := slog.New(slog.DiscardHandler)
	m, err := builtin.New(b.Context(), builtin.Spec{Pipeline: c.pipeline, ModelID: c.model, AssetsDir: assets}, log)
	if err != nil {
		b.Fatal(err)
	}
	srv, err := runnerapi.New(runnerapi.DefaultConfig(), m, log)
	if err != nil {
		b.Fatal(err)
	}
	go func() { _ = srv.Run(b.Context()) }()
	fixture.Eventually(b, time.Minute, func() bool { return srv.Health() == runnerapi.HealthOK })
	ts := httptest.NewServer(srv.Handler())
	b.Cleanup(ts.Close)
	return ts.URL
}

// post sends the case and times it until the whole answer is read.
func post(b *testing.B, url string, c aiCase) time.Duration {
	b.Helper()
	start := time.Now()
	req, err := http.NewRequestWithContext(b.Context(), http.MethodPost, url, bytes.NewReader(c.body))
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("Content-Type", c.contentType)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK {
		b.Fatalf("POST %s: %d %v %.300s", url, resp.StatusCode, err, body)
	}
	return time.Since(start)
}
