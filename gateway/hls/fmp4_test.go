package hls

import (
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/castmesh/castmesh/pkg/media"
	"github.com/castmesh/castmesh/test/fixture"
)

// fmp4Segments packages the test clip as fMP4 HLS with ffmpeg and returns
// the init section and the media segments.
func fmp4Segments(t *testing.T) (initSection []byte, segs [][]byte) {
	t.Helper()
	src := fixture.Clip(t, clip)
	dir := t.TempDir()
	cmd := exec.CommandContext(t.Context(), "ffmpeg", "-hide_banner", "-loglevel", "error", "-i", src,
		"-c", "copy", "-f", "hls", "-hls_time", "2", "-hls_playlist_type", "vod", "-hls_segment_type", "fmp4",
		"-hls_fmp4_init_filename", "init.mp4", "-hls_segment_filename", filepath.Join(dir, "%d.m4s"),
		filepath.Join(dir, "out.m3u8"))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg: %v\n%s", err, out)
	}
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	initSection = read("init.mp4")
	for i := 0; ; i++ {
		if _, err := os.Stat(filepath.Join(dir, fmt.Sprintf("%d.m4s", i))); err != nil {
			break
		}
		segs = append(segs, read(fmt.Sprintf("%d.m4s", i)))
	}
	if len(segs) == 0 {
		t.Fatal("ffmpeg wrote no fMP4 segments")
	}
	return initSection, segs
}

func fmp4Rendition(name string, initSection, data []byte) media.Rendition {
	return media.Rendition{
		Profile: media.Profile{Name: name, Codec: media.AV1}, Width: 640, Height: 360,
		Container: media.FMP4, Init: initSection, Data: data, Codecs: "avc1.64001e,mp4a.40.2",
	}
}

func TestFMP4Playlist(t *testing.T) {
	initSection, segs := fmp4Segments(t)
	s, base := newTestServer(t, testConfig())
	st := open(t, s, "f")
	changed := append([]byte(nil), initSection...)
	changed[len(changed)-1] ^= 0xff // a new init section: EXT-X-MAP again
	inits := [][]byte{initSection, initSection, changed}
	for i := range 3 {
		st.Add(int64(i), 2*time.Second, []media.Rendition{fmp4Rendition("av1", inits[i], segs[i%len(segs)])})
	}
	text := mustGet(t, base+"/hls/f/av1/index.m3u8")
	want := "#EXTM3U\n#EXT-X-VERSION:6\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:0\n" +
		"#EXT-X-MAP:URI=\"init-0.mp4\"\n#EXTINF:2.000,\n0.m4s\n#EXTINF:2.000,\n1.m4s\n" +
		"#EXT-X-MAP:URI=\"init-1.mp4\"\n#EXTINF:2.000,\n2.m4s\n"
	if text != want {
		t.Fatalf("got:\n%s\nwant:\n%s", text, want)
	}
	cases := []struct {
		path   string
		status int
		ctype  string
		body   []byte
	}{
		{"init-0.mp4", http.StatusOK, "video/mp4", initSection},
		{"init-1.mp4", http.StatusOK, "video/mp4", changed},
		{"init-2.mp4", http.StatusNotFound, "application/json", nil},
		{"0.m4s", http.StatusOK, "video/mp4", segs[0]},
		{"0.ts", http.StatusNotFound, "application/json", nil},
	}
	for _, c := range cases {
		t.Run(c.path, func(t *testing.T) {
			r := get(t, base+"/hls/f/av1/"+c.path)
			if r.status != c.status || r.header.Get("Content-Type") != c.ctype || (c.body != nil && r.body != string(c.body)) {
				t.Fatalf("status %d type %q len %d", r.status, r.header.Get("Content-Type"), len(r.body))
			}
		})
	}
}

// TestClientReadsFMP4 plays an ended fMP4 rendition with a real HLS reader.
func TestClientReadsFMP4(t *testing.T) {
	t.Parallel() // real-time playback: overlap it with the other tests
	initSection, segs := fmp4Segments(t)
	ts := realSegments(t)
	s, base := newTestServer(t, testConfig())
	st := open(t, s, "fp")
	st.Add(0, 2*time.Second, []media.Rendition{fmp4Rendition("av1", initSection, segs[0])})
	st.End()
	got := readAll(t, base+"/hls/fp/index.m3u8", func(string) {})
	if want := ts[0].info.Video.Frames; got != want {
		t.Fatalf("read %d frames, want %d", got, want)
	}
	if m := mustGet(t, base+"/hls/fp/index.m3u8"); !strings.Contains(m, `CODECS="avc1.64001e,mp4a.40.2"`) {
		t.Fatalf("master:\n%s", m)
	}
}
