package flite

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/castmesh/castmesh/ai/pipeline"
	"github.com/castmesh/castmesh/pkg/proc"
)

// checkText returns the text as the engines get it, valid UTF-8 without
// control characters, or why it cannot be spoken.
func checkText(text string, maxChars int) (string, error) {
	text = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) && r != '\n' && r != '\t' {
			return ' '
		}
		return r
	}, strings.ToValidUTF8(text, ""))
	if strings.TrimSpace(text) == "" {
		return "", fmt.Errorf("%w: %w", pipeline.ErrBadInput, ErrEmptyText)
	}
	if n := utf8.RuneCountInString(text); n > maxChars {
		return "", fmt.Errorf("%w: %w: %d characters, at most %d", pipeline.ErrBadInput, ErrTextTooLong, n, maxChars)
	}
	return text, nil
}

// synthesize runs a speech engine whose arguments have it write the WAV
// file out, and returns that file once it is checked to be PCM WAV.
func synthesize(ctx context.Context, out string, name string, args ...string) ([]byte, error) {
	if _, err := proc.Run(ctx, proc.Cmd{Path: name, Args: args}); err != nil {
		return nil, err
	}
	wav, err := os.ReadFile(out)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Base(name), err)
	}
	if _, err := parseWAV(wav); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Base(name), err)
	}
	return wav, nil
}

// speakFlite speaks dir/text.txt with a flite voice. The text goes in a
// file (-f), never on the command line, so text starting with "-" is not
// read as an option.
func speakFlite(ctx context.Context, flite, dir, voice string) ([]byte, error) {
	out := filepath.Join(dir, "flite.wav")
	return synthesize(ctx, out, flite, "-voice", voice, "-f", filepath.Join(dir, "text.txt"), "-o", out)
}

// speakESpeak speaks dir/text.txt with an espeak-ng voice.
func speakESpeak(ctx context.Context, espeak, dir, voice string) ([]byte, error) {
	out := filepath.Join(dir, "espeak.wav")
	return synthesize(ctx, out, espeak, "-v", voice, "-w", out, "-f", filepath.Join(dir, "text.txt"))
}
