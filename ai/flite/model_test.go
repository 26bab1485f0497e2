package flite

import (
	"bytes"
	"errors"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/castmesh/castmesh/ai/pipeline"
	"github.com/castmesh/castmesh/test/fixture"
)

const sentence = "The quick brown fox jumped over the lazy dog."

func newModel(t *testing.T, cfg Config) *Model {
	t.Helper()
	m, err := New(cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// speak has m speak text as description asks, checking the answer is a
// WAV file, and returns it.
func speak(t *testing.T, m pipeline.TextToSpeechModel, text, description string) (wavInfo, []byte) {
	t.Helper()
	start := time.Now()
	out, err := m.TextToSpeech(t.Context(), &pipeline.TextToSpeechParams{Text: text, Description: description})
	if err != nil {
		t.Fatal(err)
	}
	w, err := parseWAV(out.Data)
	if err != nil || out.MIME != "audio/wav" {
		t.Fatalf("not a WAV (%s): %v", out.MIME, err)
	}
	t.Logf("%s: %d characters → %s of audio in %s", m.ModelID(), len(text), w.duration(), time.Since(start))
	return w, out.Data
}

// fliteSays is what flite itself makes of text with voice.
func fliteSays(t *testing.T, voice, text string) []byte {
	t.Helper()
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in.txt"), filepath.Join(dir, "out.wav")
	if err := os.WriteFile(in, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	if b, err := exec.CommandContext(t.Context(), "flite", "-voice", voice, "-f", in, "-o", out).CombinedOutput(); err != nil {
		t.Fatalf("flite: %v: %s", err, b)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestFlite(t *testing.T) {
	fixture.RequireTool(t, "flite")
	m := newModel(t, DefaultConfig())
	tests := []struct{ description, voice string }{
		{"A male speaker delivers a slightly expressive and animated speech with a moderate speed and pitch.", "rms"},
		{"A female speaker, calm and clear.", "slt"},
		{"A Scottish gentleman.", "awb"},
	}
	for _, tt := range tests {
		t.Run(tt.voice, func(t *testing.T) {
			w, wav := speak(t, m, sentence, tt.description)
			if w != (wavInfo{16000, 1, 16, w.dataBytes}) || w.duration() < time.Second {
				t.Errorf("got %+v (%s), want 16 kHz mono 16-bit over 1 s", w, w.duration())
			}
			if !bytes.Equal(wav, fliteSays(t, tt.voice, sentence)) {
				t.Errorf("%q was not spoken by %s", tt.description, tt.voice)
			}
		})
	}
}

func TestOptionLikeText(t *testing.T) {
	fixture.RequireTool(t, "flite")
	m := newModel(t, DefaultConfig())
	text := "-voice kal -o /dev/null hello there"
	_, wav := speak(t, m, text, "")
	if !bytes.Equal(wav, fliteSays(t, "rms", text)) {
		t.Error("text starting with - was not spoken as text")
	}
}

func TestFallback(t *testing.T) {
	fixture.RequireTool(t, "espeak-ng")
	tests := []struct{ name, flite string }{
		{"missing", "/nonexistent/flite"},
		{"failing", "false"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := DefaultConfig()
			cfg.Flite = tt.flite
			w, _ := speak(t, newModel(t, cfg), sentence, "A female speaker")
			// espeak-ng speaks at 22.05 kHz, flite at 16 kHz.
			if w.rate != 22050 || w.channels != 1 || w.duration() < time.Second {
				t.Errorf("got %+v (%s), want espeak-ng's 22.05 kHz mono over 1 s", w, w.duration())
			}
		})
	}
	t.Run("both missing", func(t *testing.T) {
		cfg := DefaultConfig()
		cfg.Flite, cfg.ESpeak = "/nonexistent/flite", "/nonexistent/espeak-ng"
		if _, err := New(cfg, slog.New(slog.DiscardHandler)); err == nil || !strings.Contains(err.Error(), "espeak") {
			t.Fatalf("New = %v, want an error naming both", err)
		}
	})
	t.Run("off", func(t *testing.T) {
		cfg := DefaultConfig()
		cfg.Flite, cfg.Fallback = "/nonexistent/flite", false
		if _, err := New(cfg, slog.New(slog.DiscardHandler)); err == nil || !strings.HasPrefix(err.Error(), "flite") {
			t.Fatalf("New = %v, want a flite error", err)
		}
	})
}

func TestESpeak(t *testing.T) {
	fixture.RequireTool(t, "espeak-ng")
	m, err := NewESpeak(DefaultConfig(), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if m.ModelID() != ESpeakModelID || m.Pipeline() != pipeline.TextToSpeech {
		t.Errorf("model %s %s", m.Pipeline(), m.ModelID())
	}
	if w, _ := speak(t, m, sentence, ""); w.rate != 22050 || w.duration() < time.Second {
		t.Errorf("got %+v (%s)", w, w.duration())
	}
}

func TestBadText(t *testing.T) {
	fixture.RequireTool(t, "flite")
	cfg := DefaultConfig()
	cfg.MaxChars = 20
	m := newModel(t, cfg)
	tests := []struct {
		name  string
		p     pipeline.TextToSpeechParams
		wants []error
	}{
		{"empty", pipeline.TextToSpeechParams{}, []error{pipeline.ErrBadInput, ErrEmptyText}},
		{"spaces", pipeline.TextToSpeechParams{Text: " \n\t\x00 "}, []error{pipeline.ErrBadInput, ErrEmptyText}},
		{"too long", pipeline.TextToSpeechParams{Text: strings.Repeat("é", 21)}, []error{pipeline.ErrBadInput, ErrTextTooLong}},
		{"wrong model", pipeline.TextToSpeechParams{Text: "hi", ModelID: "parler-tts/parler-tts-large-v1"}, []error{pipeline.ErrWrongModel}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := m.TextToSpeech(t.Context(), &tt.p)
			for _, want := range tt.wants {
				if !errors.Is(err, want) {
					t.Errorf("err = %v, want %v", err, want)
				}
			}
		})
	}
	if _, err := m.TextToSpeech(t.Context(), &pipeline.TextToSpeechParams{Text: strings.Repeat("é", 20)}); err != nil {
		t.Errorf("20 characters: %v", err)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Config)
		key  string
	}{
		{"defaults", func(*Config) {}, ""},
		{"no flite", func(c *Config) { c.Flite = "" }, "flite"},
		{"no espeak", func(c *Config) { c.ESpeak = "" }, "espeak"},
		{"no espeak, no fallback", func(c *Config) { c.ESpeak, c.Fallback = "", false }, ""},
		{"unknown voice", func(c *Config) { c.DefaultVoice = "jane" }, "default_voice"},
		{"zero chars", func(c *Config) { c.MaxChars = 0 }, "max_chars"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := DefaultConfig()
			tt.edit(&cfg)
			err := cfg.Validate()
			if (tt.key == "") != (err == nil) || (err != nil && !strings.HasPrefix(err.Error(), tt.key)) {
				t.Fatalf("Validate = %v, want one naming %q", err, tt.key)
			}
		})
	}
}

func TestRemovesTempFiles(t *testing.T) {
	fixture.RequireTool(t, "flite")
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	speak(t, newModel(t, DefaultConfig()), sentence, "")
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Errorf("left %v in TMPDIR", left)
	}
}
