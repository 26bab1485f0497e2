// Package builtin makes castmesh's built-in CPU models by model id, for
// workers to serve over the ai-runner API. Each model names itself
// honestly: Catalogue says which are neural networks, which are trained
// statistical models, and which are classical or procedural code.
//
// GPU operators do not need these: they point workers at real
// livepeer/ai-runner containers (airunner's external runners).
package builtin

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"sort"
	"strconv"

	"github.com/castmesh/castmesh/ai/classical"
	"github.com/castmesh/castmesh/ai/esrgan"
	"github.com/castmesh/castmesh/ai/flite"
	"github.com/castmesh/castmesh/ai/openaicompat"
	"github.com/castmesh/castmesh/ai/pipeline"
	"github.com/castmesh/castmesh/ai/sphinx"
	"github.com/castmesh/castmesh/ai/tesseract"
)

// Kind says what a model really is.
type Kind string

// The kinds of built-in models.
const (
	// Neural is a trained neural network.
	Neural Kind = "neural network"
	// Statistical is a trained pre-neural model (HMMs, statistical
	// parametric synthesis).
	Statistical Kind = "trained statistical model"
	// Classical is hand-written signal or image processing, no training.
	Classical Kind = "classical algorithm"
	// Procedural makes content from a seed, no model of any kind.
	Procedural Kind = "procedural"
	// Forwarded sends the request to a service the operator configures.
	Forwarded Kind = "forwarded"
)

// Entry is one built-in model.
type Entry struct {
	Pipeline pipeline.Name
	ModelID  string
	Kind     Kind
	// What it does, in a line.
	About string
	// Options it takes.
	Options []string
	make    func(ctx context.Context, s Spec, log *slog.Logger) (pipeline.Model, error)
}

// LLMModelID is the model id that asks for the llm forwarder; its
// "model" option names the upstream model, which becomes its id.
const LLMModelID = "openai-compatible"

// Catalogue lists the built-in models, by pipeline then id.
func Catalogue() []Entry {
	es := []Entry{
		{
			pipeline.TextToImage, classical.SeededNoiseID, Procedural,
			"a seeded noise image with the prompt drawn on it; no image generation", nil, seededNoise,
		},
		{
			pipeline.ImageToImage, classical.StylizeID, Classical,
			"an ffmpeg filter chain (cartoon, posterize, sketch, neon) blended by strength",
			[]string{"style"},
			stylize,
		},
		{
			pipeline.ImageToVideo, classical.KenBurnsID, Classical,
			"25 frames of ffmpeg pan and zoom over the image", nil, kenBurns,
		},
		{
			pipeline.Upscale, "upscalerjs/esrgan-slim-x2", Neural,
			"ESRGAN-slim (RDN, DIV2K) x2 via onnxruntime, tiled",
			[]string{"tile_size", "threads"},
			esrganModel(2),
		},
		{
			pipeline.Upscale, "upscalerjs/esrgan-slim-x4", Neural,
			"ESRGAN-slim (RDN, DIV2K) x4 via onnxruntime, tiled",
			[]string{"tile_size", "threads"},
			esrganModel(4),
		},
		{pipeline.Upscale, "classical/ffmpeg-lanczos-x2", Classical, "ffmpeg Lanczos resampling x2", nil, lanczos(2)},
		{pipeline.Upscale, "classical/ffmpeg-lanczos-x4", Classical, "ffmpeg Lanczos resampling x4", nil, lanczos(4)},
		{
			pipeline.AudioToText, sphinx.ModelID, Statistical,
			"CMU PocketSphinx US English, word timestamps", nil, sphinxModel,
		},
		{
			pipeline.TextToSpeech, flite.ModelID, Statistical,
			"Flite with CMU ARCTIC voices (slt, rms, awb) chosen by the description",
			[]string{"voice"},
			fliteModel,
		},
		{pipeline.TextToSpeech, flite.ESpeakModelID, Classical, "espeak-ng formant synthesis", nil, espeakModel},
		{
			pipeline.ImageToText, tesseract.ModelID, Neural,
			"Tesseract LSTM OCR, English: the text in the image, not a caption", nil, tesseractModel,
		},
		{
			pipeline.SegmentAnything2, classical.RegionGrowID, Classical,
			"colour region growing from the prompt's points and box", nil, regionGrow,
		},
		{
			pipeline.LLM, LLMModelID, Forwarded,
			"an OpenAI-compatible chat completions endpoint",
			[]string{"base_url", "model", "api_key"},
			llm,
		},
	}
	sort.SliceStable(es, func(i, j int) bool { return es[i].Pipeline < es[j].Pipeline })
	return es
}

// Spec asks for one built-in model.
type Spec struct {
	Pipeline string
	ModelID  string
	Options  map[string]string
	// AssetsDir holds the files the setup script installs (.tools/ai): the
	// onnxruntime library and the ESRGAN-slim weights.
	AssetsDir string
}

// ErrUnknown is a model id no built-in has.
var ErrUnknown = errors.New("no such built-in model")

// New makes the built-in model s names.
func New(ctx context.Context, s Spec, log *slog.Logger) (pipeline.Model, error) {
	for _, e := range Catalogue() {
		if string(e.Pipeline) != s.Pipeline || (e.ModelID != s.ModelID && e.ModelID != LLMModelID) {
			continue
		}
		if err := checkOptions(s.Options, e.Options); err != nil {
			return nil, err
		}
		return e.make(ctx, s, log)
	}
	return nil, fmt.Errorf("%w: %s %s (docs/ai.md lists them)", ErrUnknown, s.Pipeline, s.ModelID)
}

func checkOptions(got map[string]string, allowed []string) error {
	for k := range got {
		ok := false
		for _, a := range allowed {
			ok = ok || a == k
		}
		if !ok {
			return fmt.Errorf("option %q is not one of %v", k, allowed)
		}
	}
	return nil
}

func optInt(s Spec, key string, dst *int) error {
	v, ok := s.Options[key]
	if !ok {
		return nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return fmt.Errorf("option %s: %q is not an integer", key, v)
	}
	*dst = n
	return nil
}

func seededNoise(_ context.Context, _ Spec, _ *slog.Logger) (pipeline.Model, error) {
	return classical.NewSeededNoise(classical.DefaultSeededNoiseConfig())
}

func stylize(_ context.Context, s Spec, log *slog.Logger) (pipeline.Model, error) {
	cfg := classical.DefaultStylizeConfig()
	if v, ok := s.Options["style"]; ok {
		cfg.Style = v
	}
	return classical.NewStylize(cfg, log)
}

func kenBurns(_ context.Context, _ Spec, log *slog.Logger) (pipeline.Model, error) {
	return classical.NewKenBurns(classical.DefaultKenBurnsConfig(), log)
}

func lanczos(scale int) func(context.Context, Spec, *slog.Logger) (pipeline.Model, error) {
	return func(_ context.Context, _ Spec, log *slog.Logger) (pipeline.Model, error) {
		cfg := classical.DefaultLanczosConfig()
		cfg.Scale = scale
		return classical.NewLanczos(cfg, log)
	}
}

func esrganModel(scale int) func(context.Context, Spec, *slog.Logger) (pipeline.Model, error) {
	return func(_ context.Context, s Spec, _ *slog.Logger) (pipeline.Model, error) {
		cfg := esrgan.DefaultConfig()
		cfg.Scale = scale
		cfg.AssetsDir = filepath.Join(s.AssetsDir, "esrgan-slim")
		cfg.Library = filepath.Join(s.AssetsDir, "onnxruntime", "libonnxruntime.so")
		if err := optInt(s, "tile_size", &cfg.TileSize); err != nil {
			return nil, err
		}
		if err := optInt(s, "threads", &cfg.Threads); err != nil {
			return nil, err
		}
		return esrgan.New(cfg)
	}
}

func sphinxModel(_ context.Context, _ Spec, log *slog.Logger) (pipeline.Model, error) {
	return sphinx.New(sphinx.DefaultConfig(), log)
}

func fliteModel(_ context.Context, s Spec, log *slog.Logger) (pipeline.Model, error) {
	cfg := flite.DefaultConfig()
	if v, ok := s.Options["voice"]; ok {
		cfg.DefaultVoice = v
	}
	return flite.New(cfg, log)
}

func espeakModel(_ context.Context, _ Spec, log *slog.Logger) (pipeline.Model, error) {
	return flite.NewESpeak(flite.DefaultConfig(), log)
}

func tesseractModel(_ context.Context, _ Spec, log *slog.Logger) (pipeline.Model, error) {
	return tesseract.New(tesseract.DefaultConfig(), log)
}

func regionGrow(_ context.Context, _ Spec, _ *slog.Logger) (pipeline.Model, error) {
	return classical.NewRegionGrow(classical.DefaultRegionGrowConfig())
}

// llm forwards to the endpoint the options name; the worker's model id is
// the upstream's model name.
func llm(_ context.Context, s Spec, log *slog.Logger) (pipeline.Model, error) {
	cfg := openaicompat.DefaultConfig()
	base, ok := s.Options["base_url"]
	if !ok {
		return nil, errors.New("option base_url must name the OpenAI-compatible endpoint (e.g. http://127.0.0.1:8000/v1)")
	}
	cfg.BaseURL, cfg.APIKey, cfg.Model = base, s.Options["api_key"], s.ModelID
	if m, ok := s.Options["model"]; ok {
		cfg.Model = m
	}
	if cfg.Model != s.ModelID {
		return nil, fmt.Errorf("option model %q must equal the model_id %q", cfg.Model, s.ModelID)
	}
	return openaicompat.New(cfg, log)
}
