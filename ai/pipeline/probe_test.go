package pipeline_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/castmesh/castmesh/ai/pipeline"
	"github.com/castmesh/castmesh/test/fixture"
)

// Issue #12 finding 14: audio-to-text probed the caller's file with no
// protocol or format whitelist and no timeout. A playlist sent as audio
// must be refused as unsupported media, at once, without ffprobe fetching
// its URLs or reading the node's files, and without waiting for a live
// playlist to end (it never does).
func TestProbeRefusesNetworkProtocols(t *testing.T) {
	fixture.RequireTool(t, "ffprobe")
	seg := fixture.Clip(t, fixture.ClipSpec{Width: 64, Height: 64, FPS: 10, Duration: 2 * time.Second, GOP: time.Second, Audio: true, Format: "mpegts"})
	segData, err := os.ReadFile(seg)
	if err != nil {
		t.Fatal(err)
	}
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		hits.Add(1)
		_, _ = w.Write(segData)
	}))
	t.Cleanup(srv.Close)
	local := filepath.Join(t.TempDir(), "other.ts")
	if err := os.WriteFile(local, segData, 0o600); err != nil {
		t.Fatal(err)
	}
	hls := "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.0,\n%s\n"
	tests := []struct{ name, body string }{
		{"hls with an http segment", fmt.Sprintf(hls+"#EXT-X-ENDLIST\n", srv.URL+"/seg.ts")},
		{"concat list with an http part", fmt.Sprintf("ffconcat version 1.0\nfile '%s/seg.ts'\n", srv.URL)},
		{"hls naming a local file", fmt.Sprintf(hls+"#EXT-X-ENDLIST\n", local)},
		{"live hls that never ends", fmt.Sprintf(hls, local)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
			defer cancel()
			d, err := pipeline.FFprobe{}.AudioDuration(ctx, []byte(tc.body))
			if !errors.Is(err, pipeline.ErrUnsupportedMedia) {
				t.Errorf("probe: %s, %v; want ErrUnsupportedMedia", d, err)
			}
			if n := hits.Load(); n != 0 {
				t.Errorf("ffprobe made %d requests to the test server", n)
			}
		})
	}
}
