// Package logging builds the one slog logger a process uses, from config.
package logging

import (
	"fmt"
	"io"
	"log/slog"
	"strings"
)

// Config picks the level and format of log lines.
type Config struct {
	// Level is debug, info, warn or error.
	Level string `yaml:"level"`
	// Format is text (logfmt-like, for people) or json (for collectors).
	Format string `yaml:"format"`
}

// DefaultConfig logs info and above as text.
func DefaultConfig() Config { return Config{Level: "info", Format: "text"} }

// Validate names the bad key.
func (c Config) Validate() error {
	if _, err := level(c.Level); err != nil {
		return err
	}
	if c.Format != "text" && c.Format != "json" {
		return fmt.Errorf("log.format must be text or json, got %q", c.Format)
	}
	return nil
}

func level(s string) (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(strings.ToUpper(s))); err != nil {
		return 0, fmt.Errorf("log.level must be debug, info, warn or error, got %q", s)
	}
	return l, nil
}

// New returns a logger writing to w.
func New(c Config, w io.Writer) (*slog.Logger, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	l, _ := level(c.Level)
	opts := &slog.HandlerOptions{Level: l}
	if c.Format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return slog.New(slog.NewTextHandler(w, opts)), nil
}
