package builtin

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/castmesh/castmesh/ai/pipeline"
)

func TestCatalogueIsHonestAndUnique(t *testing.T) {
	seen := map[string]bool{}
	pipelines := map[pipeline.Name]bool{}
	for _, e := range Catalogue() {
		key := string(e.Pipeline) + " " + e.ModelID
		if seen[key] {
			t.Errorf("%s is listed twice", key)
		}
		seen[key] = true
		pipelines[e.Pipeline] = true
		if e.About == "" || e.make == nil {
			t.Errorf("%s has no description or constructor", key)
		}
		// A model that is no model says so in its id, so a caller who
		// reads only the response knows what made it.
		switch e.Kind {
		case Procedural:
			if !strings.HasPrefix(e.ModelID, "procedural/") {
				t.Errorf("%s is procedural but its id does not say so", key)
			}
		case Classical:
			if e.Pipeline != pipeline.TextToSpeech && !strings.HasPrefix(e.ModelID, "classical/") {
				t.Errorf("%s is classical but its id does not say so", key)
			}
		case Neural, Statistical, Forwarded:
			if strings.HasPrefix(e.ModelID, "classical/") || strings.HasPrefix(e.ModelID, "procedural/") {
				t.Errorf("%s is a %s but its id says otherwise", key, e.Kind)
			}
		default:
			t.Errorf("%s has unknown kind %q", key, e.Kind)
		}
	}
	for _, p := range pipeline.Batch() {
		if !pipelines[p] {
			t.Errorf("no built-in model for %s", p)
		}
	}
}

func TestNewRefusesUnknownModelsAndOptions(t *testing.T) {
	ctx, log := context.Background(), slog.New(slog.DiscardHandler)
	_, err := New(ctx, Spec{Pipeline: "text-to-image", ModelID: "stabilityai/sdxl"}, log)
	if !errors.Is(err, ErrUnknown) {
		t.Errorf("unknown model: %v, want ErrUnknown", err)
	}
	_, err = New(ctx, Spec{Pipeline: "upscale", ModelID: "procedural/seeded-noise"}, log)
	if !errors.Is(err, ErrUnknown) {
		t.Errorf("model of another pipeline: %v, want ErrUnknown", err)
	}
	_, err = New(ctx, Spec{Pipeline: "text-to-image", ModelID: "procedural/seeded-noise", Options: map[string]string{"steps": "4"}}, log)
	if err == nil || !strings.Contains(err.Error(), `"steps"`) {
		t.Errorf("unknown option: %v, want it named", err)
	}
	_, err = New(ctx, Spec{Pipeline: "upscale", ModelID: "upscalerjs/esrgan-slim-x2", Options: map[string]string{"tile_size": "big"}}, log)
	if err == nil || !strings.Contains(err.Error(), "tile_size") {
		t.Errorf("bad integer option: %v, want it named", err)
	}
}

func TestNewLLMNeedsEndpointAndMatchingModel(t *testing.T) {
	ctx, log := context.Background(), slog.New(slog.DiscardHandler)
	if _, err := New(ctx, Spec{Pipeline: "llm", ModelID: "llama3"}, log); err == nil || !strings.Contains(err.Error(), "base_url") {
		t.Errorf("no base_url: %v", err)
	}
	opts := map[string]string{"base_url": "http://127.0.0.1:1/v1", "model": "qwen"}
	if _, err := New(ctx, Spec{Pipeline: "llm", ModelID: "llama3", Options: opts}, log); err == nil {
		t.Error("model option differing from model_id was accepted")
	}
	opts["model"] = "llama3"
	m, err := New(ctx, Spec{Pipeline: "llm", ModelID: "llama3", Options: opts}, log)
	if err != nil {
		t.Fatal(err)
	}
	if m.Pipeline() != pipeline.LLM || m.ModelID() != "llama3" {
		t.Errorf("llm model names itself %s %s", m.Pipeline(), m.ModelID())
	}
}

func TestNewMakesAProceduralModel(t *testing.T) {
	m, err := New(context.Background(), Spec{Pipeline: "text-to-image", ModelID: "procedural/seeded-noise"}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if m.ModelID() != "procedural/seeded-noise" {
		t.Errorf("model id %q", m.ModelID())
	}
}
