package tesseract

import (
	"context"
	"fmt"
	"log/slog"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/castmesh/castmesh/ai/pipeline"
	"github.com/castmesh/castmesh/pkg/proc"
)

// ModelID names the model: Tesseract's LSTM recogniser with its English
// model.
const ModelID = "tesseract/eng-lstm"

// Model reads printed English text in images with Tesseract.
type Model struct {
	cfg       Config
	tesseract string
	logger    *slog.Logger
}

// New finds tesseract.
func New(cfg Config, logger *slog.Logger) (*Model, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	path, err := exec.LookPath(cfg.Tesseract)
	if err != nil {
		return nil, fmt.Errorf("tesseract: %w", err)
	}
	return &Model{cfg: cfg, tesseract: path, logger: logger.With("component", "tesseract")}, nil
}

// Pipeline is image-to-text.
func (m *Model) Pipeline() pipeline.Name { return pipeline.ImageToText }

// ModelID is "tesseract/eng-lstm".
func (m *Model) ModelID() string { return ModelID }

// ImageToText returns the text printed in p.Image, "" when there is none.
// p.Prompt is ignored: this model reads text, it does not answer prompts.
func (m *Model) ImageToText(ctx context.Context, p *pipeline.ImageToTextParams) (string, error) {
	if p.ModelID != "" && p.ModelID != ModelID {
		return "", fmt.Errorf("%w: this runner has %s, not %s", pipeline.ErrWrongModel, ModelID, p.ModelID)
	}
	img, err := decode(p.Image.Data, m.cfg.MaxPixels)
	if err != nil {
		return "", err
	}
	start := time.Now()
	out, err := proc.Run(ctx, proc.Cmd{
		Path: m.tesseract, Args: m.args(), Stdin: pgm(grey(img)),
		Env: []string{"OMP_THREAD_LIMIT=" + strconv.Itoa(m.cfg.Threads)},
	})
	if err != nil {
		return "", err
	}
	text := normalise(string(out))
	m.logger.DebugContext(ctx, "read", "size", img.Bounds().Size(), "chars", len(text), "elapsed", time.Since(start))
	return text, nil
}

// args are tesseract's arguments: the image on stdin, the text on stdout.
func (m *Model) args() []string {
	args := []string{"stdin", "stdout", "-l", "eng", "--oem", "1", "--psm", strconv.Itoa(m.cfg.PageSegMode)}
	if m.cfg.TessdataDir != "" {
		args = append(args, "--tessdata-dir", m.cfg.TessdataDir)
	}
	return args
}

// normalise keeps tesseract's lines, each with runs of white space made one
// space, and drops blank lines and the page's closing form feed.
func normalise(out string) string {
	var lines []string
	for line := range strings.Lines(strings.ToValidUTF8(out, "")) {
		if words := strings.Fields(line); len(words) > 0 {
			lines = append(lines, strings.Join(words, " "))
		}
	}
	return strings.Join(lines, "\n")
}
