package main

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/castmesh/castmesh/test/fixture"
)

// Issue #12 finding 14: the ready file went through a fixed temporary name
// and a rename, unsynced. It is written with pkg/atomicfile: replaced
// whole, with what announce says.
func TestStateFileAtomicReadyFile(t *testing.T) {
	cfg := devnetConfig{ReadyFile: filepath.Join(t.TempDir(), "ready.json")}
	if err := os.WriteFile(cfg.ReadyFile, []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}
	info := DevnetInfo{RTMP: "rtmp://127.0.0.1:1935", HTTP: "http://127.0.0.1:8935"}
	fixture.ReplacesWhole(t, cfg.ReadyFile, func() error { return announce(io.Discard, cfg, info) })
	b, err := os.ReadFile(cfg.ReadyFile)
	if err != nil {
		t.Fatal(err)
	}
	var got DevnetInfo
	if err := json.Unmarshal(b, &got); err != nil || got.RTMP != info.RTMP || got.HTTP != info.HTTP {
		t.Fatalf("ready file %s: %v", b, err)
	}
}
