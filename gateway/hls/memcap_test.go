package hls

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
)

// TestRecordingMemoryCapped: Issue #12 finding 5: an in-memory recording
// kept every segment of a stream for as long as it ran (about 2.4 GB an
// hour for a 1080p ladder). Past hls.max_recording_bytes the recording
// stops, with a log and a metric, and only the live window stays in
// memory; live playback goes on.
func TestRecordingMemoryCapped(t *testing.T) {
	const segBytes = 188 * 10 // fakeTS
	tests := []struct {
		name      string
		perStream int64
		total     int64
	}{
		{"per stream", 20 * segBytes, 1 << 30},
		{"all streams", 1 << 30, 20 * segBytes},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig()
			cfg.Record, cfg.MaxRecordingBytes, cfg.MaxMemoryBytes = true, tt.perStream, tt.total
			s, base := newTestServer(t, cfg)
			st := open(t, s, "capped")
			for seq := range int64(100) {
				st.Add(seq, 2*time.Second, fakeTS("a"))
			}
			window := int64(2*cfg.Window+1) * segBytes
			st.mu.Lock()
			held := st.bytes
			st.mu.Unlock()
			if held > window || s.held.Load() > window {
				t.Fatalf("holds %d bytes (server %d) after the cap, want at most the live window's %d", held, s.held.Load(), window)
			}
			if n := testutil.ToFloat64(s.metrics.RecordingsStopped); n != 1 {
				t.Fatalf("recordings stopped: %v, want 1", n)
			}
			if r := get(t, base+"/hls/capped/a/recording.m3u8"); r.status != http.StatusNotFound || !strings.Contains(r.body, "recording_stopped") {
				t.Fatalf("recording playlist: %d %s", r.status, r.body)
			}
			live := mustGet(t, base+"/hls/capped/a/index.m3u8")
			if !strings.Contains(live, "\n99.ts\n") {
				t.Fatalf("live playlist lost the live edge:\n%s", live)
			}
		})
	}
}
