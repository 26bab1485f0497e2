package e2e

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/castmesh/castmesh/pkg/media"
	"github.com/castmesh/castmesh/test/fixture"
)

// pushed is one rendition from a multipart push response.
type pushed struct {
	name        string
	contentType string
	data        []byte
}

// push PUTs a segment and returns the status, and the renditions when the
// answer is multipart, or the body otherwise.
func push(t *testing.T, url string, data []byte, durationMS int) (int, []pushed, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPut, url, bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept", "multipart/mixed")
	req.Header.Set("Content-Duration", strconv.Itoa(durationMS))
	req.Header.Set("Content-Type", "video/mp2t")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("PUT %s: %v", url, err)
	}
	defer resp.Body.Close()
	mt, params, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if resp.StatusCode != http.StatusOK || mt != "multipart/mixed" {
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, nil, body
	}
	var parts []pushed
	mr := multipart.NewReader(resp.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(p)
		if err != nil {
			t.Fatal(err)
		}
		if n, _ := strconv.Atoi(p.Header.Get("Content-Length")); n != len(b) {
			t.Errorf("part %s: Content-Length %s, body %d bytes", p.Header.Get("Rendition-Name"), p.Header.Get("Content-Length"), len(b))
		}
		parts = append(parts, pushed{name: p.Header.Get("Rendition-Name"), contentType: p.Header.Get("Content-Type"), data: b})
	}
	return resp.StatusCode, parts, nil
}

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
		code, parts, body := push(t, fmt.Sprintf("%s/live/push-key/%d.ts", d.HTTP, i), data, 2000)
		if code != http.StatusOK {
			t.Fatalf("segment %d: %d %s", i, code, body)
		}
		if len(parts) != 3 {
			t.Fatalf("segment %d: %d renditions, want 3", i, len(parts))
		}
		for j, p := range parts {
			want := ladder[j]
			info, err := media.ProbeTS(p.data)
			if err != nil {
				t.Fatalf("segment %d %s: %v", i, p.name, err)
			}
			if p.name != want.name || p.contentType != "video/mp2t" || info.Video.Width != want.width ||
				info.Video.Height != want.height || info.Video.Frames != 60 || info.Audio == nil {
				t.Errorf("segment %d part %d: %s %s %dx%d, %d frames", i, j, p.name, p.contentType,
					info.Video.Width, info.Video.Height, info.Video.Frames)
			}
		}
	}
	st := waitStream(t, d.HTTP, 5*time.Second, func(s streamInfo) bool { return s.Ingest == "http" })
	if st.Segments != 10 || st.Failed != 0 || st.Dropped != 0 {
		t.Fatalf("stream %+v", st)
	}
	live := mediaPlaylist(t, resolve(st.PlaybackURL, "720p/index.m3u8"))
	if len(live.Segments) != 6 || live.MediaSequence != 4 {
		t.Fatalf("live playlist: %d segments from %d, want the last 6 from 4", len(live.Segments), live.MediaSequence)
	}
}
