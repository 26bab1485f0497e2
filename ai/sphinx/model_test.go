package sphinx

import (
	"context"
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

// fox is the sentence the tests speak with flite and then transcribe.
const fox = "the quick brown fox jumped over the lazy dog"

func newModel(t *testing.T, cfg Config) *Model {
	t.Helper()
	fixture.RequireTool(t, "ffmpeg")
	fixture.RequireTool(t, "pocketsphinx_continuous")
	m, err := New(cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// speak synthesizes text with a flite voice, returning a WAV file.
func speak(t *testing.T, voice, text string) string {
	t.Helper()
	fixture.RequireTool(t, "flite")
	out := filepath.Join(t.TempDir(), voice+".wav")
	tool(t, "flite", "-voice", voice, "-t", text, "-o", out)
	return out
}

func tool(t *testing.T, name string, args ...string) {
	t.Helper()
	if b, err := exec.CommandContext(t.Context(), name, args...).CombinedOutput(); err != nil {
		t.Fatalf("%s: %v: %s", name, err, b)
	}
}

func read(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestTranscribe(t *testing.T) {
	m := newModel(t, DefaultConfig())
	for _, voice := range []string{"slt", "kal16"} {
		t.Run(voice, func(t *testing.T) {
			audio := read(t, speak(t, voice, fox))
			seconds := float64(len(audio)-44) / bytesPerSecond
			start := time.Now()
			resp, err := m.AudioToText(t.Context(), &pipeline.AudioToTextParams{
				Audio: pipeline.File{Data: audio}, ReturnTimestamps: "word",
			})
			if err != nil {
				t.Fatal(err)
			}
			elapsed := time.Since(start)
			n := fixture.WordsRecovered(fox, resp.Text)
			t.Logf("%s: %q: %d/9 words, %.2f s of audio in %s (%.2f× real time)",
				voice, resp.Text, n, seconds, elapsed, elapsed.Seconds()/seconds)
			if n < 5 {
				t.Errorf("recovered %d of 9 words: %q", n, resp.Text)
			}
			checkWordTimes(t, resp.Chunks, seconds)
		})
	}
}

// checkWordTimes checks that word chunks move forward in time and lie in the
// audio.
func checkWordTimes(t *testing.T, chunks []pipeline.Chunk, seconds float64) {
	t.Helper()
	prev := 0.0
	for _, c := range chunks {
		s, e := c.Timestamp[0], c.Timestamp[1]
		if s < prev || e < s || e > seconds+0.05 {
			t.Errorf("chunk %q at %v: not after %.2f or not in %.2f s", c.Text, c.Timestamp, prev, seconds)
		}
		prev = e
	}
}

func TestReturnTimestamps(t *testing.T) {
	m := newModel(t, DefaultConfig())
	// Two sentences a second apart.
	first, second := speak(t, "slt", "hello world"), speak(t, "kal16", fox)
	both := filepath.Join(t.TempDir(), "both.wav")
	tool(t, "ffmpeg", "-nostdin", "-v", "error", "-i", first, "-i", second, "-filter_complex",
		"[0]apad=pad_dur=1[a];[a][1]concat=n=2:v=0:a=1", both)
	audio := pipeline.File{Data: read(t, both)}
	tests := []struct {
		mode     string
		min, max int
	}{
		{"word", 8, 20},
		{"true", 2, 4},
		{"sentence", 2, 4},
		{"false", 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.mode, func(t *testing.T) {
			t.Parallel()
			resp, err := m.AudioToText(t.Context(), &pipeline.AudioToTextParams{Audio: audio, ReturnTimestamps: tt.mode})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: %+v", tt.mode, resp.Chunks)
			if resp.Chunks == nil || len(resp.Chunks) < tt.min || len(resp.Chunks) > tt.max {
				t.Fatalf("%d chunks, want %d–%d: %+v", len(resp.Chunks), tt.min, tt.max, resp.Chunks)
			}
			if tt.mode != "false" && joinText(resp.Chunks) != resp.Text {
				t.Errorf("chunks %+v do not spell %q", resp.Chunks, resp.Text)
			}
		})
	}
}

func TestBadAudio(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MaxDuration = time.Second
	m := newModel(t, cfg)
	// A WAV header announcing no samples.
	emptyWAV := []byte("RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00\x80\x3e\x00\x00\x00\x7d\x00\x00\x02\x00\x10\x00data\x00\x00\x00\x00")
	tests := []struct {
		name  string
		p     pipeline.AudioToTextParams
		wants []error
	}{
		{"empty", pipeline.AudioToTextParams{}, []error{pipeline.ErrBadInput, ErrNoAudio}},
		{"no samples", pipeline.AudioToTextParams{Audio: pipeline.File{Data: emptyWAV}}, []error{pipeline.ErrBadInput, ErrNoAudio}},
		{
			"not audio",
			pipeline.AudioToTextParams{Audio: pipeline.File{Data: []byte("plain text, not a media file\n")}},
			[]error{pipeline.ErrUnsupportedMedia, ErrUndecodable},
		},
		{
			"too long",
			pipeline.AudioToTextParams{Audio: pipeline.File{Data: read(t, speak(t, "kal16", fox))}},
			[]error{pipeline.ErrBadInput, ErrTooLong},
		},
		{
			"bad timestamps",
			pipeline.AudioToTextParams{Audio: pipeline.File{Data: []byte{1}}, ReturnTimestamps: "always"},
			[]error{pipeline.ErrBadInput},
		},
		{
			"wrong model",
			pipeline.AudioToTextParams{Audio: pipeline.File{Data: []byte{1}}, ModelID: "openai/whisper-large-v3"},
			[]error{pipeline.ErrWrongModel},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := m.AudioToText(t.Context(), &tt.p)
			for _, want := range tt.wants {
				if !errors.Is(err, want) {
					t.Errorf("err = %v, want %v", err, want)
				}
			}
		})
	}
}

func TestCanceled(t *testing.T) {
	m := newModel(t, DefaultConfig())
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := m.AudioToText(ctx, &pipeline.AudioToTextParams{Audio: pipeline.File{Data: []byte("x")}})
	if !errors.Is(err, context.Canceled) || pipeline.IsInputError(err) {
		t.Fatalf("err = %v, want context.Canceled only", err)
	}
}

func TestNew(t *testing.T) {
	fixture.RequireTool(t, "ffmpeg")
	tests := []struct {
		name string
		edit func(*Config)
		key  string
	}{
		{"no ffmpeg", func(c *Config) { c.FFmpeg = "" }, "ffmpeg"},
		{"missing pocketsphinx", func(c *Config) { c.PocketSphinx = "/nonexistent/pocketsphinx" }, "pocketsphinx"},
		{"missing lm", func(c *Config) { c.LM = "/nonexistent/en-us.lm.bin" }, "lm"},
		{"zero duration", func(c *Config) { c.MaxDuration = 0 }, "max_duration"},
		{"zero gap", func(c *Config) { c.SentenceGap = 0 }, "sentence_gap"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := DefaultConfig()
			tt.edit(&cfg)
			_, err := New(cfg, slog.New(slog.DiscardHandler))
			if err == nil || !strings.HasPrefix(err.Error(), tt.key) {
				t.Fatalf("err = %v, want one naming %s", err, tt.key)
			}
		})
	}
}

func TestRemovesTempFiles(t *testing.T) {
	m := newModel(t, DefaultConfig())
	audio := read(t, speak(t, "kal16", "hello world"))
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	if _, err := m.AudioToText(t.Context(), &pipeline.AudioToTextParams{Audio: pipeline.File{Data: audio}}); err != nil {
		t.Fatal(err)
	}
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Errorf("left %v in TMPDIR", left)
	}
}
