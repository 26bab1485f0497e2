package flite

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"time"

	"github.com/castmesh/castmesh/ai/pipeline"
)

// ESpeakModelID names ESpeakModel: espeak-ng's US English voice.
const ESpeakModelID = "espeak/ng-en-us"

// ESpeakModel speaks text with espeak-ng alone: rule-based formant
// synthesis, with no trained model, fast and robotic. It picks voices as
// Model does, mapped to espeak-ng's.
type ESpeakModel struct {
	cfg    Config
	espeak string
	logger *slog.Logger
}

// NewESpeak finds espeak-ng (Config.ESpeak); the other tool keys are
// ignored.
func NewESpeak(cfg Config, logger *slog.Logger) (*ESpeakModel, error) {
	if err := cfg.validateESpeak(); err != nil {
		return nil, err
	}
	espeak, err := exec.LookPath(cfg.ESpeak)
	if err != nil {
		return nil, fmt.Errorf("espeak: %w", err)
	}
	return &ESpeakModel{cfg: cfg, espeak: espeak, logger: logger.With("component", "espeak")}, nil
}

// Pipeline is text-to-speech.
func (m *ESpeakModel) Pipeline() pipeline.Name { return pipeline.TextToSpeech }

// ModelID is "espeak/ng-en-us".
func (m *ESpeakModel) ModelID() string { return ESpeakModelID }

// TextToSpeech speaks p.Text, returning a 22.05 kHz mono WAV file.
func (m *ESpeakModel) TextToSpeech(ctx context.Context, p *pipeline.TextToSpeechParams) (pipeline.Media, error) {
	if p.ModelID != "" && p.ModelID != ESpeakModelID {
		return pipeline.Media{}, fmt.Errorf("%w: this runner has %s, not %s", pipeline.ErrWrongModel, ESpeakModelID, p.ModelID)
	}
	dir, err := writeText(p.Text, m.cfg.MaxChars)
	if err != nil {
		return pipeline.Media{}, err
	}
	defer os.RemoveAll(dir)
	v := pickVoice(p.Description, m.cfg.DefaultVoice)
	start := time.Now()
	wav, err := speakESpeak(ctx, m.espeak, dir, v.espeak)
	if err != nil {
		return pipeline.Media{}, err
	}
	m.logger.DebugContext(ctx, "spoke", "voice", v.espeak, "elapsed", time.Since(start))
	return pipeline.Media{Data: wav, MIME: "audio/wav"}, nil
}
