package sphinx

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/castmesh/castmesh/ai/pipeline"
)

// ModelID names the model: PocketSphinx's US English models.
const ModelID = "cmusphinx/en-us"

// Model transcribes English speech with PocketSphinx.
type Model struct {
	cfg    Config
	ffmpeg string
	sphinx string
	logger *slog.Logger
}

// New checks that the tools and the model files exist.
func New(cfg Config, logger *slog.Logger) (*Model, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	ffmpeg, err := exec.LookPath(cfg.FFmpeg)
	if err != nil {
		return nil, fmt.Errorf("ffmpeg: %w", err)
	}
	sphinx, err := exec.LookPath(cfg.PocketSphinx)
	if err != nil {
		return nil, fmt.Errorf("pocketsphinx: %w", err)
	}
	for _, f := range []struct{ key, path string }{{"hmm", cfg.HMM}, {"lm", cfg.LM}, {"dict", cfg.Dict}} {
		if _, err := os.Stat(f.path); err != nil {
			return nil, fmt.Errorf("%s: %w", f.key, err)
		}
	}
	return &Model{
		cfg: cfg, ffmpeg: ffmpeg, sphinx: sphinx,
		logger: logger.With("component", "sphinx"),
	}, nil
}

// Pipeline is audio-to-text.
func (m *Model) Pipeline() pipeline.Name { return pipeline.AudioToText }

// ModelID is "cmusphinx/en-us".
func (m *Model) ModelID() string { return ModelID }

// AudioToText transcribes p.Audio. Text is the recognised words; Chunks
// follow p.ReturnTimestamps.
func (m *Model) AudioToText(ctx context.Context, p *pipeline.AudioToTextParams) (pipeline.TextResponse, error) {
	mode, err := parseMode(p.ReturnTimestamps)
	if err != nil {
		return pipeline.TextResponse{}, err
	}
	if p.ModelID != "" && p.ModelID != ModelID {
		return pipeline.TextResponse{}, fmt.Errorf("%w: this runner has %s, not %s", pipeline.ErrWrongModel, ModelID, p.ModelID)
	}
	if len(p.Audio.Data) == 0 {
		return pipeline.TextResponse{}, fmt.Errorf("%w: %w: empty upload", pipeline.ErrBadInput, ErrNoAudio)
	}
	dir, err := os.MkdirTemp("", "castmesh-sphinx-")
	if err != nil {
		return pipeline.TextResponse{}, err
	}
	defer os.RemoveAll(dir)
	return m.transcribe(ctx, dir, p.Audio.Data, mode)
}

// transcribe decodes the upload into dir and recognises it.
func (m *Model) transcribe(ctx context.Context, dir string, data []byte, mode chunkMode) (pipeline.TextResponse, error) {
	pcm, dur, err := m.decode(ctx, dir, data)
	if err != nil {
		return pipeline.TextResponse{}, err
	}
	start := time.Now()
	out, err := m.recognize(ctx, dir, pcm)
	if err != nil {
		return pipeline.TextResponse{}, err
	}
	elapsed := time.Since(start)
	tokens := parse(out)
	m.logger.DebugContext(ctx, "transcribed", "audio", dur, "elapsed", elapsed,
		"real_time_factor", elapsed.Seconds()/dur.Seconds(), "tokens", len(tokens))
	return respond(tokens, mode, m.cfg.SentenceGap.Seconds()), nil
}

// chunkMode is what chunks a response carries.
type chunkMode int

const (
	chunkSentences chunkMode = iota
	chunkWords
	chunkNone
)

// parseMode reads return_timestamps: "true" or "sentence", "word",
// "false"; empty means the API's default, "true".
func parseMode(s string) (chunkMode, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "true", "sentence":
		return chunkSentences, nil
	case "word":
		return chunkWords, nil
	case "false":
		return chunkNone, nil
	}
	return 0, fmt.Errorf("%w: return_timestamps must be true, sentence, word or false, got %q", pipeline.ErrBadInput, s)
}
