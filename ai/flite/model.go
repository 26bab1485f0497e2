package flite

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/castmesh/castmesh/ai/pipeline"
	"github.com/castmesh/castmesh/pkg/proc"
)

// ModelID names Model: Flite with its CMU ARCTIC voices.
const ModelID = "cmu/flite-arctic"

// Model speaks text with Flite, falling back to espeak-ng when so
// configured.
type Model struct {
	cfg    Config
	flite  string // flite's path, or "" when it is missing
	espeak string // espeak-ng's path, or "" when there is no fallback
	logger *slog.Logger
}

// New finds the tools. A missing flite is an error unless the fallback is
// on and espeak-ng is there.
func New(cfg Config, logger *slog.Logger) (*Model, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	m := &Model{cfg: cfg, logger: logger.With("component", "flite")}
	var fliteErr, espeakErr error
	m.flite, fliteErr = proc.LookPath(cfg.Flite)
	if cfg.Fallback {
		m.espeak, espeakErr = proc.LookPath(cfg.ESpeak)
	}
	switch {
	case fliteErr != nil && m.espeak == "" && cfg.Fallback:
		return nil, fmt.Errorf("flite: %w, and espeak: %w", fliteErr, espeakErr)
	case fliteErr != nil && m.espeak == "":
		return nil, fmt.Errorf("flite: %w", fliteErr)
	case fliteErr != nil:
		m.logger.Warn("flite is missing: espeak-ng speaks every request", "err", fliteErr)
	case espeakErr != nil:
		m.logger.Warn("espeak-ng is missing: no fallback when flite fails", "err", espeakErr)
	}
	return m, nil
}

// Pipeline is text-to-speech.
func (m *Model) Pipeline() pipeline.Name { return pipeline.TextToSpeech }

// ModelID is "cmu/flite-arctic".
func (m *Model) ModelID() string { return ModelID }

// TextToSpeech speaks p.Text with the voice p.Description picks, returning
// a WAV file.
func (m *Model) TextToSpeech(ctx context.Context, p *pipeline.TextToSpeechParams) (pipeline.Media, error) {
	if p.ModelID != "" && p.ModelID != ModelID {
		return pipeline.Media{}, fmt.Errorf("%w: this runner has %s, not %s", pipeline.ErrWrongModel, ModelID, p.ModelID)
	}
	dir, err := writeText(p.Text, m.cfg.MaxChars)
	if err != nil {
		return pipeline.Media{}, err
	}
	defer os.RemoveAll(dir)
	v := pickVoice(p.Description, m.cfg.DefaultVoice)
	start := time.Now()
	wav, engine, err := m.speak(ctx, dir, v)
	if err != nil {
		return pipeline.Media{}, err
	}
	m.logger.DebugContext(ctx, "spoke", "engine", engine, "elapsed", time.Since(start))
	return pipeline.Media{Data: wav, MIME: "audio/wav"}, nil
}

// speak speaks with flite, or espeak-ng when flite is missing or fails and
// the fallback is on; it returns the engine and voice that spoke, e.g.
// "flite/slt".
func (m *Model) speak(ctx context.Context, dir string, v voice) ([]byte, string, error) {
	if m.flite != "" {
		wav, err := speakFlite(ctx, m.flite, dir, v.flite)
		if err == nil || m.espeak == "" || ctx.Err() != nil {
			return wav, "flite/" + v.flite, err
		}
		m.logger.WarnContext(ctx, "flite failed: espeak-ng speaks instead", "err", err)
	}
	wav, err := speakESpeak(ctx, m.espeak, dir, v.espeak)
	return wav, "espeak-ng/" + v.espeak, err
}

// writeText checks the text and writes it to text.txt in a new temporary
// folder, which the caller removes.
func writeText(text string, maxChars int) (string, error) {
	text, err := checkText(text, maxChars)
	if err != nil {
		return "", err
	}
	dir, err := os.MkdirTemp("", "castmesh-tts-")
	if err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(dir, "text.txt"), []byte(text), 0o600); err != nil {
		os.RemoveAll(dir)
		return "", err
	}
	return dir, nil
}
