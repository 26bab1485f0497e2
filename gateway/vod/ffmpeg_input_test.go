package vod

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/castmesh/castmesh/test/fixture"
)

// Issue #12 finding 14: vod's ffmpeg steps (cut, join, fMP4 repackaging,
// quality) read the caller's source and the orchestrators' segments with
// whatever demuxer the bytes asked for. A segment or source that is an
// HLS playlist makes ffmpeg read what it names: other local files, and,
// with no end tag, it reloads the playlist forever. Each step must fail at
// once, and reach no URL.
func TestVODFFmpegRefusesPlaylists(t *testing.T) {
	fixture.RequireTool(t, "ffmpeg")
	seg := fixture.Clip(t, fixture.ClipSpec{Width: 160, Height: 90, FPS: 10, Duration: 2 * time.Second, GOP: time.Second, Format: "mpegts"})
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
	ta := newTestAPI(t, filepath.Join(t.TempDir(), "vod.db"), nil)
	dir := t.TempDir()
	playlists := map[string]string{
		"live, of a local file": fmt.Sprintf("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.0,\n%s\n", seg),
		"of a URL":              fmt.Sprintf("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.0,\n%s/seg.ts\n#EXT-X-ENDLIST\n", srv.URL),
	}
	steps := map[string]func(ctx context.Context, path string) error{
		"cut": func(ctx context.Context, path string) error {
			return ta.cut(ctx, job{ID: "job_cut"}, path, filepath.Join(dir, "split"))
		},
		"join": func(ctx context.Context, path string) error {
			return ta.join(ctx, []renditionFile{{path: path}}, filepath.Join(dir, "out.mp4"))
		},
		"fmp4": func(ctx context.Context, path string) error {
			_, err := ta.toFMP4(ctx, []renditionFile{{path: path}})
			return err
		},
		"quality of the output": func(ctx context.Context, path string) error {
			_, _, err := ta.quality(ctx, path, "mpegts", seg, 160, 90)
			return err
		},
		"quality against the source": func(ctx context.Context, path string) error {
			_, _, err := ta.quality(ctx, seg, "mpegts", path, 160, 90)
			return err
		},
	}
	for pname, body := range playlists {
		for sname, step := range steps {
			t.Run(sname+" of a playlist "+pname, func(t *testing.T) {
				path := filepath.Join(t.TempDir(), "seg.ts")
				if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
					t.Fatal(err)
				}
				ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
				defer cancel()
				err := step(ctx, path)
				if err == nil || ctx.Err() != nil {
					t.Errorf("%v (context: %v); want a failure at once", err, ctx.Err())
				}
				if n := hits.Load(); n != 0 {
					t.Errorf("ffmpeg made %d requests to the test server", n)
				}
			})
		}
	}
}
