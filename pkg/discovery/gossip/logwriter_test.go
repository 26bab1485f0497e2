package gossip

import (
	"context"
	"log/slog"
	"sync"
	"testing"
)

type captureHandler struct {
	mu      sync.Mutex
	records []slog.Record
}

func (h *captureHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h *captureHandler) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h *captureHandler) WithGroup(string) slog.Handler            { return h }

func (h *captureHandler) Handle(_ context.Context, r slog.Record) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.records = append(h.records, r)
	return nil
}

func TestLogWriter(t *testing.T) {
	h := &captureHandler{}
	l := memberlistLogger(slog.New(h))
	for _, tc := range []struct {
		line  string
		level slog.Level
		msg   string
	}{
		{"[DEBUG] memberlist: Stream connection from=127.0.0.1:1", slog.LevelDebug, "Stream connection from=127.0.0.1:1"},
		{"[INFO] memberlist: Marking x as failed", slog.LevelInfo, "Marking x as failed"},
		{"[WARN] memberlist: Refuting a suspect message", slog.LevelWarn, "Refuting a suspect message"},
		{"[ERR] memberlist: Failed to send ping", slog.LevelError, "Failed to send ping"},
		{"[ERR] Failed to shutdown transport", slog.LevelError, "Failed to shutdown transport"},
		{"untagged", slog.LevelInfo, "untagged"},
		{"[ODD] tag", slog.LevelInfo, "[ODD] tag"},
	} {
		h.records = nil
		l.Print(tc.line)
		if len(h.records) != 1 || h.records[0].Level != tc.level || h.records[0].Message != tc.msg {
			t.Errorf("%q logged %+v, want %s %q", tc.line, h.records, tc.level, tc.msg)
		}
	}
}
