// Package proc runs external programs (ffmpeg, flite, pocketsphinx,
// tesseract) the way castmesh needs them: stdout collected, the end of
// stderr kept for the error, killed with ctx, and a killed program's pipes
// not waited on forever.
package proc

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// StderrTail is how much of a failed program's stderr an Error keeps.
const StderrTail = 2048

// WaitDelay bounds how long a killed program may hold its pipes open.
const WaitDelay = 2 * time.Second

// Cmd is one run of a program.
type Cmd struct {
	// Path is the program: a path, or a name looked up in PATH.
	Path string
	Args []string
	// Stdin is fed to the program; nil means no input.
	Stdin []byte
	// Env is added to the process environment (KEY=value).
	Env []string
	// Stderr, when set, also gets the program's stderr, for programs that
	// report problems there while succeeding.
	Stderr io.Writer
}

// Run runs c and returns its stdout. When ctx ends first the error wraps
// ctx's cause; otherwise a failure is an *Error with the end of stderr.
func Run(ctx context.Context, c Cmd) ([]byte, error) {
	cmd := exec.CommandContext(ctx, c.Path, c.Args...)
	var stdout bytes.Buffer
	stderr := &TailBuffer{Max: StderrTail}
	cmd.Stdout, cmd.Stderr = &stdout, stderr
	if c.Stderr != nil {
		cmd.Stderr = io.MultiWriter(stderr, c.Stderr)
	}
	if c.Stdin != nil {
		cmd.Stdin = bytes.NewReader(c.Stdin)
	}
	if len(c.Env) > 0 {
		cmd.Env = append(os.Environ(), c.Env...)
	}
	cmd.WaitDelay = WaitDelay
	if err := cmd.Run(); err != nil {
		name := filepath.Base(c.Path)
		if ctx.Err() != nil {
			return nil, fmt.Errorf("%s: %w", name, context.Cause(ctx))
		}
		return nil, &Error{Program: name, Err: err, Stderr: stderr.String()}
	}
	return stdout.Bytes(), nil
}

// Error is a failed run of a program.
type Error struct {
	Program string
	Err     error
	// Stderr is the end of what the program wrote to stderr.
	Stderr string
}

func (e *Error) Error() string {
	msg := fmt.Sprintf("%s: %v", e.Program, e.Err)
	if e.Stderr != "" {
		msg += ": " + e.Stderr
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// TailBuffer is an io.Writer that keeps the last Max bytes written.
type TailBuffer struct {
	Max int
	buf []byte
	cut bool
}

func (b *TailBuffer) Write(p []byte) (int, error) {
	b.buf = append(b.buf, p...)
	if over := len(b.buf) - b.Max; over > 0 {
		b.buf = append(b.buf[:0], b.buf[over:]...)
		b.cut = true
	}
	return len(p), nil
}

// String returns the kept text, trimmed, marked with "…" when its start
// was cut.
func (b *TailBuffer) String() string {
	s := strings.TrimSpace(string(b.buf))
	if b.cut {
		return "…" + s
	}
	return s
}

// LookPath is exec.LookPath, but "" whenever there is an error (LookPath
// returns a path with exec.ErrDot).
func LookPath(name string) (string, error) {
	p, err := exec.LookPath(name)
	if err != nil {
		return "", err
	}
	return p, nil
}
