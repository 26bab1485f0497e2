package pipeline_test

import (
	"bytes"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/castmesh/castmesh/ai/pipeline"
	"github.com/castmesh/castmesh/ai/pipeline/pipelinetest"
	"github.com/castmesh/castmesh/test/fixture"
)

func TestDataURL(t *testing.T) {
	data := []byte{0, 1, 2, 250, 'a'}
	mt, got, err := pipeline.ParseDataURL(pipeline.DataURL("image/png", data))
	if err != nil || mt != "image/png" || !bytes.Equal(got, data) {
		t.Fatalf("round trip: %s %v %v", mt, got, err)
	}
	for in, want := range map[string]string{
		"data:,hello%20world":             "hello world",
		"data:text/plain;charset=utf-8,a": "a",
		"data:image/png;base64,aGk":       "hi", // unpadded
		"data:audio/wav;base64,UklGRg==":  "RIFF",
	} {
		if _, got, err := pipeline.ParseDataURL(in); err != nil || string(got) != want {
			t.Errorf("%s: %q %v", in, got, err)
		}
	}
	for _, bad := range []string{"http://x/y.png", "data:image/png;base64", "data:image/png;base64,@@@", "data:;;;,x"} {
		if _, _, err := pipeline.ParseDataURL(bad); !errors.Is(err, pipeline.ErrNotDataURL) {
			t.Errorf("%s: %v", bad, err)
		}
	}
}

func TestFormatMasks(t *testing.T) {
	got := pipeline.FormatMasks(pipeline.Masks{
		Masks:  [][][]float32{{{0, 1}, {1, 0}}},
		Scores: []float32{0.875},
		Logits: [][][]float32{{{-2.5, 3}}},
	})
	if got.Masks != "[[[0.0, 1.0], [1.0, 0.0]]]" || got.Scores != "[0.875]" || got.Logits != "[[[-2.5, 3.0]]]" {
		t.Fatalf("%+v", got)
	}
	if e := pipeline.FormatMasks(pipeline.Masks{}); e.Masks != "[]" || e.Scores != "[]" {
		t.Fatalf("empty: %+v", e)
	}
}

func TestDecodeResponse(t *testing.T) {
	ok := map[pipeline.Name]string{
		pipeline.TextToImage:      `{"images":[{"url":"data:image/png;base64,AA==","seed":1,"nsfw":false}]}`,
		pipeline.AudioToText:      `{"text":"hi","chunks":[{"timestamp":[0,1.5],"text":"hi"}]}`,
		pipeline.TextToSpeech:     `{"audio":{"url":"data:audio/wav;base64,AA=="}}`,
		pipeline.SegmentAnything2: `{"masks":"[]","scores":"[]","logits":"[]"}`,
		pipeline.ImageToText:      `{"text":"STOP"}`,
		pipeline.LLM:              `{"id":"x","model":"m","created":1,"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2},"choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"hi"}}]}`,
	}
	for name, body := range ok {
		r, err := pipeline.DecodeResponse(name, []byte(body))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, u := range r.Media() {
			*u = "rewritten"
		}
	}
	for name, body := range map[pipeline.Name]string{
		pipeline.TextToImage:  `{"images":[]}`,
		pipeline.Upscale:      `{"images":[{"url":""}]}`,
		pipeline.LLM:          `{"choices":[]}`,
		pipeline.ImageToText:  `{"text":"a"} {"text":"b"}`,
		pipeline.TextToSpeech: `not json`,
	} {
		if _, err := pipeline.DecodeResponse(name, []byte(body)); err == nil {
			t.Errorf("%s: accepted %s", name, body)
		}
	}
}

func TestDecodeRunnerVideo(t *testing.T) {
	png := pipelinetest.PNG(t, 4, 4)
	u := pipeline.DataURL("image/png", png)
	frames, err := pipeline.DecodeRunnerVideo([]byte(`{"frames":[[{"url":"` + u + `","seed":9,"nsfw":false},{"url":"` + u + `","seed":9,"nsfw":false}]]}`))
	if err != nil || len(frames) != 2 || !bytes.Equal(frames[1].Data, png) || frames[0].Seed != 9 {
		t.Fatalf("%d frames, %v", len(frames), err)
	}
	for _, bad := range []string{`{"frames":[]}`, `{"frames":[[{"url":"http://x"}]]}`, `[]`} {
		if _, err := pipeline.DecodeRunnerVideo([]byte(bad)); err == nil {
			t.Errorf("accepted %s", bad)
		}
	}
}

func TestLLMUnits(t *testing.T) {
	req := &pipeline.LLMParams{MaxTokens: 10}
	for _, c := range []struct {
		usage  pipeline.LLMTokenUsage
		chunks int
		want   int64
	}{
		{pipeline.LLMTokenUsage{CompletionTokens: 4, TotalTokens: 9}, 0, 4},
		{pipeline.LLMTokenUsage{}, 7, 7},
		{pipeline.LLMTokenUsage{CompletionTokens: 40}, 0, 10}, // never more than held
		{pipeline.LLMTokenUsage{}, 0, 0},
	} {
		if got := pipeline.LLMUnits(req, c.usage, c.chunks); got != c.want {
			t.Errorf("%+v %d: %d, want %d", c.usage, c.chunks, got, c.want)
		}
	}
}

func TestParseNames(t *testing.T) {
	for _, n := range pipeline.Batch() {
		if got, ok := pipeline.Parse(string(n)); !ok || got != n {
			t.Errorf("%s", n)
		}
	}
	if _, ok := pipeline.Parse("live-video-to-video"); ok {
		t.Error("live is not a batch pipeline")
	}
}

func TestLLMAnswerUnits(t *testing.T) {
	req := &pipeline.LLMParams{MaxTokens: 100}
	whole := `{"id":"a","model":"m","created":1,"usage":{"prompt_tokens":5,"completion_tokens":12,"total_tokens":17},"choices":[]}`
	if n := pipeline.LLMAnswerUnits(req, "application/json", []byte(whole)); n != 12 {
		t.Fatalf("whole answer: %d", n)
	}
	stream := "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"a\"}}]}\n\n" +
		"data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}\n\n" +
		"data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"b\"}}]}\n\n" +
		"data: [DONE]\n\n"
	if n := pipeline.LLMAnswerUnits(req, "text/event-stream; charset=utf-8", []byte(stream)); n != 2 {
		t.Fatalf("stream without usage: %d", n)
	}
	withUsage := stream + "data: {\"usage\":{\"completion_tokens\":3},\"choices\":[]}\n\n"
	if n := pipeline.LLMAnswerUnits(req, "text/event-stream", []byte(withUsage)); n != 3 {
		t.Fatalf("stream with usage: %d", n)
	}
}

func TestFFprobe(t *testing.T) {
	fixture.RequireTool(t, "ffprobe")
	clip := fixture.Clip(t, fixture.ClipSpec{Width: 64, Height: 64, FPS: 10, Duration: 2 * time.Second, GOP: time.Second, Audio: true})
	data, err := os.ReadFile(clip)
	if err != nil {
		t.Fatal(err)
	}
	d, err := pipeline.FFprobe{}.AudioDuration(t.Context(), data)
	if err != nil || d < 1900*time.Millisecond || d > 2100*time.Millisecond {
		t.Fatalf("duration %v %v", d, err)
	}
	if _, err := (pipeline.FFprobe{}).AudioDuration(t.Context(), []byte("not audio at all")); !errors.Is(err, pipeline.ErrUnsupportedMedia) {
		t.Fatalf("garbage: %v", err)
	}
}
