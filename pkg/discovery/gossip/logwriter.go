package gossip

import (
	"log/slog"
	"strings"
)

// logWriter turns memberlist's log lines ("[WARN] memberlist: …") into
// slog records at the matching level.
type logWriter struct {
	logger *slog.Logger
}

func (w logWriter) Write(p []byte) (int, error) {
	line := strings.TrimSpace(string(p))
	level, line := splitLevel(line)
	line = strings.TrimPrefix(line, "memberlist: ")
	switch level {
	case slog.LevelDebug:
		w.logger.Debug(line)
	case slog.LevelWarn:
		w.logger.Warn(line)
	case slog.LevelError:
		w.logger.Error(line)
	default:
		w.logger.Info(line)
	}
	return len(p), nil
}

// splitLevel takes memberlist's level tag off a line; untagged lines are
// info.
func splitLevel(line string) (slog.Level, string) {
	tag, rest, ok := strings.Cut(line, " ")
	if !ok {
		return slog.LevelInfo, line
	}
	switch tag {
	case "[DEBUG]", "[TRACE]":
		return slog.LevelDebug, rest
	case "[INFO]":
		return slog.LevelInfo, rest
	case "[WARN]":
		return slog.LevelWarn, rest
	case "[ERR]", "[ERROR]":
		return slog.LevelError, rest
	}
	return slog.LevelInfo, line
}
