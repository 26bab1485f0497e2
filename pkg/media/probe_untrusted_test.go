package media_test

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

	"github.com/castmesh/castmesh/pkg/media"
	"github.com/castmesh/castmesh/test/fixture"
)

// Issue #12 finding 14: ffprobe ran on uploads without a protocol or
// format whitelist and without a timeout. An upload can be a playlist or a
// list naming other resources: http URLs (the node fetches them), local
// files (another caller's media), or a live HLS playlist that ffprobe
// reloads forever. Each must be refused, quickly, with ErrInvalidInput,
// and the test server must see no request.
func TestProbeRefusesNetworkProtocols(t *testing.T) {
	fixture.RequireTool(t, "ffprobe")
	var hits atomic.Int64
	seg := fixture.Clip(t, fixture.ClipSpec{Width: 160, Height: 90, FPS: 10, Duration: 2 * time.Second, GOP: time.Second, Format: "mpegts"})
	segData, err := os.ReadFile(seg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		hits.Add(1)
		_, _ = w.Write(segData)
	}))
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	local := filepath.Join(dir, "other.ts")
	if err := os.WriteFile(local, segData, 0o600); err != nil {
		t.Fatal(err)
	}
	hls := "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.0,\n%s\n"
	tests := []struct {
		name, body string
	}{
		{"hls with an http segment", fmt.Sprintf(hls+"#EXT-X-ENDLIST\n", srv.URL+"/seg.ts")},
		{"hls with an http key", "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-KEY:METHOD=AES-128,URI=\"" + srv.URL +
			"/key\"\n" + fmt.Sprintf("#EXTINF:2.0,\n%s\n#EXT-X-ENDLIST\n", local)},
		{"concat list with an http part", fmt.Sprintf("ffconcat version 1.0\nfile '%s/seg.ts'\n", srv.URL)},
		{"concat list with an http part, subfile", fmt.Sprintf("ffconcat version 1.0\nfile 'subfile,,start,0,end,0,,:%s/seg.ts'\n", srv.URL)},
		{"hls naming a local file", fmt.Sprintf(hls+"#EXT-X-ENDLIST\n", local)},
		{"live hls that never ends", fmt.Sprintf(hls, local)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "source")
			if err := os.WriteFile(path, []byte(tc.body), 0o600); err != nil {
				t.Fatal(err)
			}
			// Well under the probe's own timeout: a refusal is immediate.
			ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
			defer cancel()
			start := time.Now()
			info, err := media.ProbeFile(ctx, "", path)
			if !errors.Is(err, media.ErrInvalidInput) {
				t.Errorf("probe: %+v, %v (after %s); want ErrInvalidInput", info, err, time.Since(start).Round(time.Millisecond))
			}
			if n := hits.Load(); n != 0 {
				t.Errorf("ffprobe made %d requests to the test server", n)
			}
		})
	}
}
