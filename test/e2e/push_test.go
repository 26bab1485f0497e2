package e2e

import (
	"fmt"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/castmesh/castmesh/pkg/media"
	"github.com/castmesh/castmesh/test/fixture"
	"github.com/castmesh/castmesh/test/harness"
)

// TestHTTPPush pushes 10 segments in order and gets every rendition back
// in each multipart response; the stream also plays as HLS.
func TestHTTPPush(t *testing.T) {
	d := startDevnet(t)
	spec := fixture.ClipSpec{Width: 1920, Height: 1080, FPS: 30, Duration: 20 * time.Second, GOP: 2 * time.Second, Audio: true}
	segs := fixture.Segments(t, spec, 2*time.Second)
	if len(segs) != 10 {
		t.Fatalf("fixture cut %d segments, want 10", len(segs))
	}
	for i, path := range segs {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		code, parts, body := harness.Push(t, fmt.Sprintf("%s/live/push-key/%d.ts", d.HTTP, i), data, 2000)
		if code != http.StatusOK {
			t.Fatalf("segment %d: %d %s", i, code, body)
		}
		if len(parts) != 3 {
			t.Fatalf("segment %d: %d renditions, want 3", i, len(parts))
		}
		for j, p := range parts {
			want := ladder[j]
			info, err := media.ProbeTS(p.Data)
			if err != nil {
				t.Fatalf("segment %d %s: %v", i, p.Name, err)
			}
			if p.Name != want.name || p.ContentType != "video/mp2t" || info.Video.Width != want.width ||
				info.Video.Height != want.height || info.Video.Frames != 60 || info.Audio == nil {
				t.Errorf("segment %d part %d: %s %s %dx%d, %d frames", i, j, p.Name, p.ContentType,
					info.Video.Width, info.Video.Height, info.Video.Frames)
			}
		}
	}
	st := harness.WaitStream(t, d.HTTP, 5*time.Second, func(s harness.Stream) bool { return s.Ingest == "http" })
	if st.Segments != 10 || st.Failed != 0 || st.Dropped != 0 {
		t.Fatalf("stream %+v", st)
	}
	live := mediaPlaylist(t, resolve(st.PlaybackURL, "720p/index.m3u8"))
	if len(live.Segments) != 6 || live.MediaSequence != 4 {
		t.Fatalf("live playlist: %d segments from %d, want the last 6 from 4", len(live.Segments), live.MediaSequence)
	}
}
