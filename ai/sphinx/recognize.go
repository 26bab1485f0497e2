package sphinx

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"

	"github.com/castmesh/castmesh/pkg/proc"
)

// recognize runs pocketsphinx_continuous on the PCM file and returns its
// output: per utterance, the hypothesis, then "word start end confidence"
// lines (-time yes). PocketSphinx logs to a file in dir, whose end a
// failure's error carries: with -logfn /dev/null a bad model path would
// fail without saying why.
func (m *Model) recognize(ctx context.Context, dir, pcm string) ([]byte, error) {
	logfn := filepath.Join(dir, "sphinx.log")
	out, err := proc.Run(ctx, proc.Cmd{Path: m.sphinx, Args: []string{
		"-infile", pcm, "-samprate", strconv.Itoa(sampleRate),
		"-hmm", m.cfg.HMM, "-lm", m.cfg.LM, "-dict", m.cfg.Dict,
		"-logfn", logfn, "-time", "yes",
	}})
	var te *proc.Error
	if errors.As(err, &te) {
		te.Stderr += logTail(logfn)
	}
	return out, err
}

// logTail is the end of PocketSphinx's log, if any.
func logTail(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	if len(b) > proc.StderrTail {
		b = b[len(b)-proc.StderrTail:]
	}
	return string(b)
}
