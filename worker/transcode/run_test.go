package transcode

import (
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/castmesh/castmesh/pkg/media"
	"github.com/castmesh/castmesh/test/fixture"
)

// TestFFmpegRejectsInput runs the real ffmpeg on bytes it cannot read,
// past ProbeTS: its failure must be classified as an input error.
func TestFFmpegRejectsInput(t *testing.T) {
	fixture.RequireTool(t, "ffmpeg")
	tc, err := New(DefaultConfig(), nil, slog.New(slog.NewTextHandler(io.Discard, nil)), NewMetrics(prometheus.NewRegistry()))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	input := filepath.Join(dir, "in.ts")
	if err := os.WriteFile(input, []byte("not a transport stream, not anything"), 0o600); err != nil {
		t.Fatal(err)
	}
	j := newJob(tc.cfg, source{320, 180, 30, "aac"}, []media.Profile{{Name: "a", Width: 320, Height: 180, Bitrate: 100_000}}, nil, input, dir)
	_, err = tc.runFFmpeg(t.Context(), j.args(), input)
	if !IsInputError(err) {
		t.Fatalf("got %v, want an input error", err)
	}
	t.Log(err)
}
