package hls

import (
	"errors"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

// TestOrphanedRecordingsRemovedOnStart: Issue #12 finding 14: recordings
// on disk outlived a restart, orphaned (the streams that would expire them
// lived in the old process) and filling the disk. A new server removes
// them, and only them.
func TestOrphanedRecordingsRemovedOnStart(t *testing.T) {
	dir := t.TempDir()
	write := func(rel string) {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("old/720p/0.ts")
	write("old/720p/1.ts")
	write("old/360p/.tmp-12345")
	write("fmp4/720p/3.m4s")
	write("operator-notes.txt")
	write("photos/cat.jpg")
	write("mixed/720p/0.ts")
	write("mixed/README")
	cfg := testConfig()
	cfg.Storage, cfg.Dir = StorageDisk, dir
	if _, err := New(cfg, slog.New(slog.DiscardHandler), NewMetrics(prometheus.NewRegistry())); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path string
		gone bool
	}{
		{"old", true},
		{"fmp4", true},
		{"operator-notes.txt", false},
		{"photos/cat.jpg", false},
		{"mixed/720p/0.ts", false},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			_, err := os.Stat(filepath.Join(dir, tt.path))
			if gone := errors.Is(err, fs.ErrNotExist); gone != tt.gone {
				t.Fatalf("gone %v, want %v (%v)", gone, tt.gone, err)
			}
		})
	}
}
