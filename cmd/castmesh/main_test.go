package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(bad, []byte("grpc_adr: typo\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		args    []string
		environ []string
		code    int
		out     string // in stdout+stderr
	}{
		{"no command", nil, nil, 2, "Usage:"},
		{"unknown command", []string{"frobnicate"}, nil, 2, `unknown command "frobnicate"`},
		{"version", []string{"version"}, nil, 0, "castmesh 0.1.0"},
		{"help", []string{"help"}, nil, 0, "castmesh devnet"},
		{"role help", []string{"gateway", "-h"}, nil, 0, "-rtmp.addr"},
		{"unknown key in the file", []string{"orchestrator", "--config", bad}, nil, 1, "grpc_adr"},
		{"missing file", []string{"worker", "--config", "/nonexistent.yaml"}, nil, 1, "no such file"},
		{"bad env value", []string{"gateway"}, []string{"CASTMESH_STREAMS_MAX_STREAMS=lots"}, 1, "CASTMESH_STREAMS_MAX_STREAMS"},
		{"invalid config", []string{"worker"}, nil, 1, "secret must be set"},
		{"stray argument", []string{"gateway", "extra"}, nil, 1, "unexpected arguments: extra"},
		{"devnet payments", []string{"devnet", "--payments", "sometimes"}, nil, 1, "payments must be on or off"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out strings.Builder
			ctx, cancel := context.WithCancel(t.Context())
			cancel() // nothing may start serving
			code := run(ctx, tt.args, tt.environ, &out, &out)
			if code != tt.code || !strings.Contains(out.String(), tt.out) {
				t.Fatalf("exit %d, want %d; output:\n%s\nwant it to contain %q", code, tt.code, out.String(), tt.out)
			}
		})
	}
}
