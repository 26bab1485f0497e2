package e2e

import (
	"bytes"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"math/big"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/castmesh/castmesh/ai/builtin"
	"github.com/castmesh/castmesh/ai/openapi"
	"github.com/castmesh/castmesh/ai/pipeline"
	"github.com/castmesh/castmesh/ai/pipeline/pipelinetest"
	"github.com/castmesh/castmesh/test/fixture"
	"github.com/castmesh/castmesh/test/harness"
)

// fox is the sentence spoken by Flite and transcribed by PocketSphinx.
const fox = "the quick brown fox jumped over the lazy dog"

// llmModel is the model the test's OpenAI-compatible server serves.
const llmModel = "test/echo"

// aiNet is a devnet serving the built-in CPU models (the first
// orchestrator's warm, the second's cold), llm forwarded to a fake
// OpenAI-compatible server, with payments on the embedded chain.
type aiNet struct {
	*harness.Devnet
	llm   *fakeLLM
	specs aiSpecs
}

func startAINet(t *testing.T) *aiNet {
	t.Helper()
	for _, tool := range []string{"ffprobe", "pocketsphinx_continuous", "flite", "espeak-ng", "tesseract"} {
		fixture.RequireTool(t, tool)
	}
	llm := newFakeLLM(t, llmModel)
	d := harness.StartDevnet(t, binary, "--ai-assets", fixture.AIAssets(t),
		"--llm-url", llm.URL+"/v1", "--llm-model", llmModel, "--log.level", "debug")
	if len(d.Orchestrators) != 2 || d.Chain == nil {
		t.Fatalf("devnet runs %d orchestrators, chain %v; want 2 and payments on", len(d.Orchestrators), d.Chain)
	}
	// The devnet is up before the first orchestrator's warm models have
	// loaded; until then its models are not offered.
	fixture.Eventually(t, 2*time.Minute, func() bool {
		var st struct {
			AI []struct {
				Warm     bool `json:"warm"`
				Capacity int  `json:"capacity"`
			} `json:"ai"`
		}
		code, b := harness.Get(t, "http://"+d.Orchestrators[0].Admin+"/status")
		if code != http.StatusOK || json.Unmarshal(b, &st) != nil || len(st.AI) < len(builtin.Catalogue()) {
			return false
		}
		for _, m := range st.AI {
			if !m.Warm || m.Capacity < 1 {
				return false
			}
		}
		return true
	}, "the warm orchestrator to offer every model")
	return &aiNet{Devnet: d, llm: llm, specs: loadSpecs(t)}
}

// TestAIPipelines runs every pipeline through gateway → orchestrator →
// worker → built-in runner and checks what comes back: against both
// OpenAPI documents and for real content. Then it checks bad input never
// reaches a worker, that the warm orchestrator took the work, and that the
// orchestrator's credit matches the units billed.
func TestAIPipelines(t *testing.T) {
	n := startAINet(t)
	t.Run("openapi document", func(t *testing.T) {
		if b := harness.MustGet(t, n.HTTP+"/openapi.yaml"); !bytes.Equal(b, openapi.Document()) {
			t.Error("/openapi.yaml is not the embedded document")
		}
	})
	t.Run("text-to-image", n.textToImage)
	t.Run("image-to-image", n.imageToImage)
	t.Run("image-to-video", n.imageToVideo)
	t.Run("upscale", n.upscale)
	t.Run("text-to-speech and audio-to-text", n.speech)
	t.Run("image-to-text", n.imageToText)
	t.Run("segment-anything-2", n.segment)
	t.Run("llm", n.llmChat)
	t.Run("bad input reaches no worker", n.badInput)
	t.Run("warm orchestrator first", n.warmFirst)
	t.Run("credit matches billed units", n.credit)
}

func (n *aiNet) url(path string) string { return n.HTTP + path }

type imagesAnswer struct {
	Images []struct {
		URL  string `json:"url"`
		Seed int64  `json:"seed"`
		NSFW bool   `json:"nsfw"`
	} `json:"images"`
}

func (n *aiNet) textToImage(t *testing.T) {
	req := map[string]any{"prompt": "a red fox", "width": 256, "height": 192, "seed": 7, "num_images_per_prompt": 2}
	a := aiJSON(t, n.url("/text-to-image"), req)
	n.specs.conform(t, a, false)
	var got imagesAnswer
	a.ok(t, &got)
	if len(got.Images) != 2 || got.Images[0].Seed != 7 || got.Images[1].Seed != 8 {
		t.Fatalf("images %+v, want 2 with seeds 7 and 8", got.Images)
	}
	ct, first := fetchMedia(t, got.Images[0].URL)
	if w, h := imageSize(t, first); ct != "image/png" || w != 256 || h != 192 {
		t.Errorf("image %s %dx%d, want image/png 256x192", ct, w, h)
	}
	_, second := fetchMedia(t, got.Images[1].URL)
	if bytes.Equal(first, second) {
		t.Error("two seeds drew the same image")
	}
	// The same seed draws the same image; here as a data URL.
	req["num_images_per_prompt"] = 1
	b := aiJSON(t, n.url("/text-to-image?media=data"), req)
	var again imagesAnswer
	b.ok(t, &again)
	if len(again.Images) != 1 || !strings.HasPrefix(again.Images[0].URL, "data:image/png;base64,") {
		t.Fatalf("media=data answered %.200s", b.body)
	}
	if _, data := fetchMedia(t, again.Images[0].URL); !bytes.Equal(data, first) {
		t.Error("seed 7 drew a different image the second time")
	}
}

func (n *aiNet) imageToImage(t *testing.T) {
	in := pipelinetest.PNG(t, 160, 120)
	a := aiForm(t, n.url("/image-to-image"), map[string]string{
		"prompt": "make it a cartoon", "strength": "0.9", "model_id": "classical/ffmpeg-stylize",
	}, pipelinetest.Image(in))
	n.specs.conform(t, a, false)
	var got imagesAnswer
	a.ok(t, &got)
	if len(got.Images) != 1 {
		t.Fatalf("%d images", len(got.Images))
	}
	_, out := fetchMedia(t, got.Images[0].URL)
	if w, h := imageSize(t, out); w != 160 || h != 120 {
		t.Errorf("stylized image is %dx%d, want the input's 160x120", w, h)
	}
	if bytes.Equal(out, in) {
		t.Error("the image came back unchanged")
	}
}

func (n *aiNet) imageToVideo(t *testing.T) {
	fields := map[string]string{"width": "256", "height": "144", "model_id": "classical/ffmpeg-kenburns"}
	check := func(t *testing.T, body []byte) {
		var got imagesAnswer
		if err := json.Unmarshal(body, &got); err != nil || len(got.Images) != 1 {
			t.Fatalf("video answer %.300s", body)
		}
		ct, mp4 := fetchMedia(t, got.Images[0].URL)
		m := probeMedia(t, mp4)
		if ct != "video/mp4" || m.codec != "h264" || m.frames != pipeline.VideoFrames || m.width != 256 || m.height != 144 {
			t.Errorf("video %s %+v, want video/mp4 h264 256x144 with %d frames", ct, m, pipeline.VideoFrames)
		}
	}
	ct, body := pipelinetest.Form(t, fields, pipelinetest.Image(pipelinetest.PNG(t, 320, 180)))
	a := aiPost(t, n.url("/image-to-video"), ct, body)
	n.specs.conform(t, a, false)
	a.ok(t, nil)
	check(t, a.body)

	// Asynchronously: 202 with an id, then the result by polling.
	async := aiPost(t, n.url("/image-to-video"), ct, body, "Prefer", "respond-async")
	n.specs.conform(t, async, true)
	var started struct {
		RequestID string `json:"request_id"`
	}
	if async.status != http.StatusAccepted || json.Unmarshal(async.body, &started) != nil || started.RequestID == "" {
		t.Fatalf("respond-async answered %d %s", async.status, async.body)
	}
	var res struct {
		Status string          `json:"status"`
		Result json.RawMessage `json:"result"`
	}
	fixture.Eventually(t, 2*time.Minute, func() bool {
		poll := aiJSON(t, n.url("/image-to-video/result"), map[string]string{"request_id": started.RequestID})
		poll.ok(t, &res)
		return res.Status == "complete"
	})
	check(t, res.Result)
}

func (n *aiNet) upscale(t *testing.T) {
	in := pipelinetest.PNG(t, 64, 48)
	for _, c := range []struct {
		model string
		scale int
	}{
		{"upscalerjs/esrgan-slim-x2", 2}, {"upscalerjs/esrgan-slim-x4", 4}, {"classical/ffmpeg-lanczos-x2", 2},
	} {
		t.Run(c.model, func(t *testing.T) {
			a := aiForm(t, n.url("/upscale"), map[string]string{"prompt": "sharper", "model_id": c.model}, pipelinetest.Image(in))
			n.specs.conform(t, a, false)
			var got imagesAnswer
			a.ok(t, &got)
			if len(got.Images) != 1 {
				t.Fatalf("%d images", len(got.Images))
			}
			_, out := fetchMedia(t, got.Images[0].URL)
			if w, h := imageSize(t, out); w != 64*c.scale || h != 48*c.scale {
				t.Errorf("upscaled to %dx%d, want %dx%d", w, h, 64*c.scale, 48*c.scale)
			}
		})
	}
}

// speech speaks a known sentence with Flite, then transcribes the answer
// with PocketSphinx.
func (n *aiNet) speech(t *testing.T) {
	a := aiJSON(t, n.url("/text-to-speech"), map[string]string{"text": fox, "model_id": "cmu/flite-arctic"})
	n.specs.conform(t, a, false)
	var spoken struct {
		Audio struct {
			URL string `json:"url"`
		} `json:"audio"`
	}
	a.ok(t, &spoken)
	ct, wav := fetchMedia(t, spoken.Audio.URL)
	m := probeMedia(t, wav)
	if ct != "audio/wav" || !strings.HasPrefix(m.codec, "pcm_") || m.duration < 1.5 || m.duration > 10 {
		t.Fatalf("speech %s %+v, want a WAV of a few seconds", ct, m)
	}
	b := aiForm(t, n.url("/audio-to-text"), map[string]string{"return_timestamps": "word"},
		pipelinetest.Part{Name: "audio", FileName: "fox.wav", ContentType: "audio/wav", Data: wav})
	n.specs.conform(t, b, false)
	var text struct {
		Text   string `json:"text"`
		Chunks []struct {
			Text      string    `json:"text"`
			Timestamp []float64 `json:"timestamp"`
		} `json:"chunks"`
	}
	b.ok(t, &text)
	got := fixture.WordsRecovered(fox, strings.ToLower(text.Text))
	t.Logf("transcribed %q: %d of 9 words", text.Text, got)
	if got < 5 {
		t.Errorf("recovered %d of the 9 words of %q from %q", got, fox, text.Text)
	}
	last := 0.0
	for _, c := range text.Chunks {
		if len(c.Timestamp) != 2 || c.Timestamp[0] < last || c.Timestamp[1] < c.Timestamp[0] || c.Timestamp[1] > m.duration+0.1 {
			t.Errorf("chunk %+v: timestamps out of order or past the audio's %.2f s", c, m.duration)
		}
		last = c.Timestamp[0]
	}
	if len(text.Chunks) < got {
		t.Errorf("%d word chunks for %d words", len(text.Chunks), got)
	}
}

func (n *aiNet) imageToText(t *testing.T) {
	const text = "Open networks read 2026"
	a := aiForm(t, n.url("/image-to-text"), map[string]string{"prompt": "what does it say"},
		pipelinetest.Image(renderText(t, text)))
	n.specs.conform(t, a, false)
	var got struct {
		Text string `json:"text"`
	}
	a.ok(t, &got)
	if fixture.WordsRecovered(strings.ToLower(text), strings.ToLower(got.Text)) != 4 {
		t.Errorf("OCR read %q from an image of %q", got.Text, text)
	}
}

// segment points at the left half of an image, red, beside a blue right
// half, and checks the mask covers the red half only.
func (n *aiNet) segment(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 200, 100))
	for y := range 100 {
		for x := range 200 {
			c := color.RGBA{200, 30, 30, 255}
			if x >= 100 {
				c = color.RGBA{30, 30, 200, 255}
			}
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	a := aiForm(t, n.url("/segment-anything-2"), map[string]string{
		"point_coords": "[[40, 50]]", "point_labels": "[1]", "multimask_output": "false",
	}, pipelinetest.Image(buf.Bytes()))
	n.specs.conform(t, a, false)
	var got struct {
		Masks, Scores, Logits string
	}
	a.ok(t, &got)
	var masks [][][]float64
	var scores []float64
	if err := json.Unmarshal([]byte(got.Masks), &masks); err != nil || len(masks) != 1 || len(masks[0]) != 100 || len(masks[0][0]) != 200 {
		t.Fatalf("masks are not one 100×200 list (%v): %.200s", err, got.Masks)
	}
	if err := json.Unmarshal([]byte(got.Scores), &scores); err != nil || len(scores) != 1 || scores[0] <= 0 || scores[0] > 1 {
		t.Errorf("scores %q", got.Scores)
	}
	var left, right int
	for y := range 100 {
		for x := range 200 {
			if masks[0][y][x] > 0.5 {
				if x < 100 {
					left++
				} else {
					right++
				}
			}
		}
	}
	if left < 9500 || right > 0 {
		t.Errorf("the mask covers %d of 10000 red pixels and %d blue ones", left, right)
	}
}

func (n *aiNet) llmChat(t *testing.T) {
	req := map[string]any{"model": llmModel, "messages": []map[string]string{{"role": "user", "content": "tell me a story"}}}
	a := aiJSON(t, n.url("/llm"), req)
	n.specs.conform(t, a, false)
	var got struct {
		Model   string `json:"model"`
		Choices []struct {
			Message struct {
				Role, Content string
			} `json:"message"`
			FinishReason string `json:"finish_reason"`
		} `json:"choices"`
		Usage struct {
			CompletionTokens int `json:"completion_tokens"`
		} `json:"usage"`
	}
	a.ok(t, &got)
	if len(got.Choices) != 1 || got.Choices[0].Message.Content != "echo: tell me a story" || got.Usage.CompletionTokens != 5 {
		t.Errorf("llm answered %s", a.body)
	}

	req["stream"] = true
	s := aiJSON(t, n.url("/llm"), req)
	n.specs.conform(t, s, true)
	if s.status != http.StatusOK || !strings.HasPrefix(s.header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("streaming llm answered %d %s: %s", s.status, s.header.Get("Content-Type"), s.body)
	}
	var text strings.Builder
	events := strings.Split(strings.TrimSpace(string(s.body)), "\n\n")
	if events[len(events)-1] != "data: [DONE]" {
		t.Errorf("the stream ends with %q, want data: [DONE]", events[len(events)-1])
	}
	for _, e := range events[:len(events)-1] {
		var chunk struct {
			Choices []struct {
				Delta struct{ Content string } `json:"delta"`
			} `json:"choices"`
		}
		if err := json.Unmarshal([]byte(strings.TrimPrefix(e, "data: ")), &chunk); err != nil {
			t.Fatalf("event %q: %v", e, err)
		}
		for _, c := range chunk.Choices {
			text.WriteString(c.Delta.Content)
		}
	}
	if text.String() != "echo: tell me a story" {
		t.Errorf("the stream spelled %q", text.String())
	}
	if n.llm.calls.Load() != 2 {
		t.Errorf("the upstream was called %d times, want 2", n.llm.calls.Load())
	}
}

// workerJobs is how many jobs the devnet's workers have finished, whatever
// the outcome.
func (n *aiNet) workerJobs(t *testing.T) int64 {
	var sum int64
	for _, o := range n.Orchestrators {
		for _, outcome := range []string{"ok", "input_error", "failed"} {
			sum += metricLabeled(t, "http://"+o.WorkerAdmin+"/metrics", "castmesh_worker_jobs_total", outcome)
		}
	}
	return sum
}

func (n *aiNet) badInput(t *testing.T) {
	before := n.workerJobs(t)
	png := pipelinetest.PNG(t, 16, 16)
	cases := []struct {
		name, path  string
		send        func(t *testing.T, url string) aiAnswer
		status      int
		code, names string
	}{
		{"missing required field", "/text-to-image", func(t *testing.T, url string) aiAnswer {
			return aiJSON(t, url, map[string]any{"width": 64})
		}, 400, "invalid_field", "prompt"},
		{"wrong type", "/text-to-image", func(t *testing.T, url string) aiAnswer {
			return aiJSON(t, url, map[string]any{"prompt": "a", "width": "wide"})
		}, 400, "invalid_field", "width"},
		{"wrong type in a form", "/upscale", func(t *testing.T, url string) aiAnswer {
			return aiForm(t, url, map[string]string{"prompt": "a", "seed": "four"}, pipelinetest.Image(png))
		}, 400, "invalid_field", "seed"},
		{"unknown model", "/text-to-image", func(t *testing.T, url string) aiAnswer {
			return aiJSON(t, url, map[string]any{"prompt": "a", "model_id": "stabilityai/sd-turbo"})
		}, 400, "unknown_model", "stabilityai/sd-turbo"},
		{"image that is not an image", "/upscale", func(t *testing.T, url string) aiAnswer {
			return aiForm(t, url, map[string]string{"prompt": "a"},
				pipelinetest.Part{Name: "image", FileName: "cat.png", ContentType: "image/png", Data: []byte("this is not a png")})
		}, 400, "invalid_field", "image"},
		{"oversized body", "/text-to-image", func(t *testing.T, url string) aiAnswer {
			return aiPost(t, url, "application/json", bytes.Repeat([]byte(" "), 50_000_001))
		}, 413, "body_too_large", "50000000"},
		{"wrong content type", "/text-to-image", func(t *testing.T, url string) aiAnswer {
			return aiPost(t, url, "text/plain", []byte(`{"prompt":"a"}`))
		}, 415, "unsupported_media_type", "application/json"},
		{"empty audio", "/audio-to-text", func(t *testing.T, url string) aiAnswer {
			return aiForm(t, url, nil, pipelinetest.Part{Name: "audio", FileName: "a.wav", ContentType: "audio/wav"})
		}, 400, "invalid_field", "audio"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := c.send(t, n.url(c.path))
			e := a.failed(t, c.status, c.code)
			if !strings.Contains(e.Error.Message, c.names) {
				t.Errorf("the message %q does not name %q", e.Error.Message, c.names)
			}
			n.specs.conform(t, a, c.status != 400)
		})
	}
	if after := n.workerJobs(t); after != before {
		t.Errorf("workers ran %d jobs for requests that failed validation", after-before)
	}
}

// warmFirst checks every answer came from the first orchestrator, whose
// models are warm, and none from the second, whose are cold.
func (n *aiNet) warmFirst(t *testing.T) {
	gw := n.Admin + "/metrics"
	for _, p := range pipeline.Batch() {
		warm := metricWith(t, gw, "castmesh_gateway_ai_billed_units_total", map[string]string{"orchestrator": n.Orchestrators[0].Addr, "pipeline": string(p)})
		cold := metricWith(t, gw, "castmesh_gateway_ai_billed_units_total", map[string]string{"orchestrator": n.Orchestrators[1].Addr, "pipeline": string(p)})
		if warm <= 0 || cold != 0 {
			t.Errorf("%s: %v units from the warm orchestrator, %v from the cold one", p, warm, cold)
		}
	}
}

// credit checks the orchestrator debited each pipeline's session exactly
// the units the gateway was billed at its price, and was paid for them in
// tickets: credit at least what it debited, and less than a ticket's
// expected value over it per session.
func (n *aiNet) credit(t *testing.T) {
	const ticketEV = 10_000_000_000 // the devnet's 10 gwei
	gw := n.Admin + "/metrics"
	var st orchestratorStatus
	code, b := harness.Get(t, "http://"+n.Orchestrators[0].Admin+"/status")
	if code != http.StatusOK || json.Unmarshal(b, &st) != nil || st.Payments.Address == "" {
		t.Fatalf("orchestrator status %d %s", code, b)
	}
	debited := map[string]*big.Rat{}
	for _, s := range st.Payments.Sessions {
		_, rest, ok := strings.Cut(s.Session, "/ai/")
		if !ok {
			continue
		}
		p, _, _ := strings.Cut(rest, "/")
		price, ok1 := new(big.Rat).SetString(s.Price)
		d, ok2 := new(big.Rat).SetString(s.Debited)
		c, ok3 := new(big.Rat).SetString(s.Credited)
		if !ok1 || !ok2 || !ok3 {
			t.Fatalf("session %+v", s)
		}
		if debited[p] == nil {
			units := metricWith(t, gw, "castmesh_gateway_ai_billed_units_total", map[string]string{"orchestrator": n.Orchestrators[0].Addr, "pipeline": p})
			debited[p] = new(big.Rat).Mul(price, new(big.Rat).SetInt64(int64(units)))
		}
		debited[p].Sub(debited[p], d)
		over := new(big.Rat).Sub(c, d)
		if over.Sign() < 0 || over.Cmp(big.NewRat(ticketEV, 1)) >= 0 {
			t.Errorf("session %s: credited %s for %s debited", s.Session, s.Credited, s.Debited)
		}
	}
	for _, p := range pipeline.Batch() {
		left, ok := debited[string(p)]
		if !ok {
			t.Errorf("no %s session on the orchestrator", p)
			continue
		}
		if left.Sign() != 0 {
			t.Errorf("%s: the orchestrator debited %s wei less than the units billed at its price", p, left.FloatString(0))
		}
	}
}
