package proc

import (
	"context"
	"errors"
	"os/exec"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	out, err := Run(t.Context(), Cmd{Path: sh, Args: []string{"-c", `cat; printf " $GREETING"`}, Stdin: []byte("hello"), Env: []string{"GREETING=world"}})
	if err != nil || string(out) != "hello world" {
		t.Fatalf("got %q, %v", out, err)
	}

	_, err = Run(t.Context(), Cmd{Path: sh, Args: []string{"-c", "echo broken input >&2; exit 3"}})
	var pe *Error
	var ee *exec.ExitError
	if !errors.As(err, &pe) || pe.Program != "sh" || pe.Stderr != "broken input" || !errors.As(err, &ee) || ee.ExitCode() != 3 {
		t.Fatalf("failure: %#v", err)
	}
	if !strings.Contains(err.Error(), "exit status 3: broken input") {
		t.Errorf("message %q", err)
	}

	ctx, cancel := context.WithCancelCause(t.Context())
	cancel(errors.New("caller left"))
	_, err = Run(ctx, Cmd{Path: sh, Args: []string{"-c", "sleep 10"}})
	if err == nil || !strings.Contains(err.Error(), "caller left") || errors.As(err, &pe) {
		t.Errorf("cancelled: %v", err)
	}
}

func TestTailBuffer(t *testing.T) {
	b := &TailBuffer{Max: 8}
	_, _ = b.Write([]byte("  short "))
	if b.String() != "short" {
		t.Errorf("%q", b.String())
	}
	_, _ = b.Write([]byte("and then a long line"))
	if b.String() != "…ong line" {
		t.Errorf("%q", b.String())
	}
}

func TestLookPath(t *testing.T) {
	if p, err := LookPath("castmesh-no-such-program"); p != "" || err == nil {
		t.Errorf("got %q, %v", p, err)
	}
}

// Issue #12 finding 14: every input a peer sent is confined to local
// protocols, the option placed before its -i (ffmpeg's input options
// apply to the next input only).
func TestInputConfined(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"ffmpeg input", Input("/d/in"), "-protocol_whitelist file,pipe -i /d/in"},
		{"ffmpeg input of one format", InputAs("mpegts", "/d/in.ts"), "-protocol_whitelist file,pipe -f mpegts -i /d/in.ts"},
		{"ffprobe input", ProbeInput("/d/in"), "-protocol_whitelist file,pipe /d/in"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := strings.Join(tc.args, " "); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}
