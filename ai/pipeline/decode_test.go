package pipeline_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/castmesh/castmesh/ai/pipeline"
	"github.com/castmesh/castmesh/ai/pipeline/pipelinetest"
)

func decoder() pipeline.Decoder { return pipeline.Decoder{Limits: pipeline.DefaultLimits()} }

func TestDecodeJSONDefaults(t *testing.T) {
	ctx := t.Context()
	req, err := decoder().Decode(ctx, pipeline.TextToImage, "application/json", []byte(`{"prompt":"a cat","seed":7}`))
	if err != nil {
		t.Fatal(err)
	}
	p := req.(*pipeline.TextToImageParams)
	if p.Width != 1024 || p.Height != 576 || p.NumImages != 1 || p.NumInferenceSteps != 50 || !p.SafetyCheck ||
		p.GuidanceScale != 7.5 || p.Seed == nil || *p.Seed != 7 {
		t.Fatalf("defaults not applied: %+v", p)
	}
	if p.Units() != 1024*576 {
		t.Fatalf("units %d", p.Units())
	}

	req, err = decoder().Decode(ctx, pipeline.LLM, "application/json; charset=utf-8",
		[]byte(`{"messages":[{"role":"user","content":"hi"}],"max_tokens":50}`))
	if err != nil {
		t.Fatal(err)
	}
	if l := req.(*pipeline.LLMParams); l.Temperature != 0.7 || l.TopK != -1 || l.Units() != 50 {
		t.Fatalf("llm %+v", l)
	}
	req, err = decoder().Decode(ctx, pipeline.TextToSpeech, "application/json", []byte(`{"text":"héllo"}`))
	if err != nil {
		t.Fatal(err)
	}
	if s := req.(*pipeline.TextToSpeechParams); s.Units() != 5 || s.Description == "" {
		t.Fatalf("tts %+v units %d", s, s.Units())
	}
}

func TestDecodeMultipart(t *testing.T) {
	img := pipelinetest.PNG(t, 64, 48)
	ct, body := pipelinetest.Form(t, map[string]string{"prompt": "sharper", "seed": "3", "safety_check": "false"}, pipelinetest.Image(img))
	req, err := decoder().Decode(t.Context(), pipeline.Upscale, ct, body)
	if err != nil {
		t.Fatal(err)
	}
	p := req.(*pipeline.UpscaleParams)
	if p.Image.Width != 64 || p.Image.Height != 48 || p.Units() != 64*48 || p.SafetyCheck || *p.Seed != 3 ||
		p.NumInferenceSteps != 75 || p.Image.ContentType != "image/png" {
		t.Fatalf("upscale %+v", p)
	}

	ct, body = pipelinetest.Form(t, map[string]string{"prompt": "x", "num_images_per_prompt": "2", "strength": "0.5"}, pipelinetest.Image(img))
	req, err = decoder().Decode(t.Context(), pipeline.ImageToImage, ct, body)
	if err != nil {
		t.Fatal(err)
	}
	if p := req.(*pipeline.ImageToImageParams); p.Units() != 2*64*48 || p.Strength != 0.5 || p.ImageGuidanceScale != 1.5 {
		t.Fatalf("i2i %+v", p)
	}

	ct, body = pipelinetest.Form(t, map[string]string{"width": "512", "height": "256"}, pipelinetest.Image(img))
	req, err = decoder().Decode(t.Context(), pipeline.ImageToVideo, ct, body)
	if err != nil {
		t.Fatal(err)
	}
	if p := req.(*pipeline.ImageToVideoParams); p.Units() != 512*256*pipeline.VideoFrames || p.FPS != 6 {
		t.Fatalf("i2v %+v", p)
	}
}

type fixedProber time.Duration

func (f fixedProber) AudioDuration(context.Context, []byte) (time.Duration, error) {
	if f < 0 {
		return 0, fmt.Errorf("%w: garbage", pipeline.ErrUnsupportedMedia)
	}
	return time.Duration(f), nil
}

func TestDecodeAudio(t *testing.T) {
	audio := pipelinetest.Part{Name: "audio", FileName: "a.wav", Data: []byte("RIFF....")}
	ct, body := pipelinetest.Form(t, map[string]string{"metadata": `{"duration": 2.5}`}, audio)
	req, err := decoder().Decode(t.Context(), pipeline.AudioToText, ct, body)
	if err != nil || req.Units() != 2500 {
		t.Fatalf("metadata duration: %v %v", req, err)
	}
	d := decoder()
	d.Audio = fixedProber(1234 * time.Millisecond)
	if req, err := d.Decode(t.Context(), pipeline.AudioToText, ct, body); err != nil || req.Units() != 1234 {
		t.Fatalf("measured duration beats metadata: %v %v", req, err)
	}
	d.Audio = fixedProber(-1)
	if _, err := d.Decode(t.Context(), pipeline.AudioToText, ct, body); !errors.Is(err, pipeline.ErrUnsupportedMedia) {
		t.Fatalf("undecodable audio: %v", err)
	}
}

func TestDecodeRejects(t *testing.T) {
	img := pipelinetest.PNG(t, 16, 16)
	form := func(fields map[string]string, parts ...pipelinetest.Part) (string, []byte) {
		return pipelinetest.Form(t, fields, parts...)
	}
	tests := []struct {
		name     string
		pipeline pipeline.Name
		body     func() (string, []byte)
		field    string
		want     error
	}{
		{"missing prompt", pipeline.TextToImage, json(`{"width":512}`), "prompt", nil},
		{"wrong type", pipeline.TextToImage, json(`{"prompt":"a","width":"wide"}`), "width", nil},
		{"too wide", pipeline.TextToImage, json(`{"prompt":"a","width":99999}`), "width", nil},
		{"too many images", pipeline.TextToImage, json(`{"prompt":"a","num_images_per_prompt":100}`), "num_images_per_prompt", nil},
		{"not json", pipeline.TextToImage, json(`{"prompt":`), "", pipeline.ErrBadRequestBody},
		{"no messages", pipeline.LLM, json(`{"messages":[]}`), "messages", nil},
		{"empty text", pipeline.TextToSpeech, json(`{"text":"  "}`), "text", nil},
		{"json to a multipart pipeline", pipeline.Upscale, json(`{"prompt":"a"}`), "", pipeline.ErrBadRequestBody},
		{"multipart to a json pipeline", pipeline.LLM, func() (string, []byte) { return form(nil) }, "", pipeline.ErrBadRequestBody},
		{"missing image", pipeline.Upscale, func() (string, []byte) { return form(map[string]string{"prompt": "a"}) }, "image", nil},
		{"missing upscale prompt", pipeline.Upscale, func() (string, []byte) { return form(nil, pipelinetest.Image(img)) }, "prompt", nil},
		{"image that is not an image", pipeline.Upscale, func() (string, []byte) {
			return form(map[string]string{"prompt": "a"}, pipelinetest.Image([]byte("GIF89a but not really")))
		}, "image", nil},
		{"empty image", pipeline.ImageToText, func() (string, []byte) { return form(nil, pipelinetest.Image(nil)) }, "image", nil},
		{"bad seed", pipeline.Upscale, func() (string, []byte) {
			return form(map[string]string{"prompt": "a", "seed": "x"}, pipelinetest.Image(img))
		}, "seed", nil},
		{"bad bool", pipeline.SegmentAnything2, func() (string, []byte) {
			return form(map[string]string{"multimask_output": "maybe"}, pipelinetest.Image(img))
		}, "multimask_output", nil},
		{"strength out of range", pipeline.ImageToImage, func() (string, []byte) {
			return form(map[string]string{"prompt": "a", "strength": "2"}, pipelinetest.Image(img))
		}, "strength", nil},
		{"empty audio", pipeline.AudioToText, func() (string, []byte) {
			return form(nil, pipelinetest.Part{Name: "audio", FileName: "a.wav"})
		}, "audio", nil},
		{"bad timestamps", pipeline.AudioToText, func() (string, []byte) {
			return form(map[string]string{"return_timestamps": "always"}, pipelinetest.Part{Name: "audio", Data: []byte{1}})
		}, "return_timestamps", nil},
		{"bad metadata", pipeline.AudioToText, func() (string, []byte) {
			return form(map[string]string{"metadata": "{"}, pipelinetest.Part{Name: "audio", Data: []byte{1}})
		}, "metadata", nil},
		{"field twice", pipeline.ImageToText, func() (string, []byte) {
			return form(nil, pipelinetest.Image(img), pipelinetest.Image(img))
		}, "image", nil},
		{"no boundary", pipeline.Upscale, func() (string, []byte) { return "multipart/form-data", []byte("x") }, "", pipeline.ErrBadRequestBody},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ct, body := tt.body()
			_, err := decoder().Decode(t.Context(), tt.pipeline, ct, body)
			if !pipeline.IsInputError(err) {
				t.Fatalf("got %v, want an input error", err)
			}
			var fe *pipeline.FieldError
			if tt.field != "" && (!errors.As(err, &fe) || fe.Field != tt.field) {
				t.Fatalf("got %v, want a field error naming %s", err, tt.field)
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
		})
	}
}

func TestImagePixelLimit(t *testing.T) {
	d := decoder()
	d.Limits.MaxImagePixels = 100
	ct, body := pipelinetest.Form(t, map[string]string{"prompt": "a"}, pipelinetest.Image(pipelinetest.PNG(t, 11, 10)))
	var fe *pipeline.FieldError
	if _, err := d.Decode(t.Context(), pipeline.Upscale, ct, body); !errors.As(err, &fe) || fe.Field != "image" {
		t.Fatalf("got %v", err)
	}
}

func json(s string) func() (string, []byte) {
	return func() (string, []byte) { return "application/json", []byte(s) }
}
