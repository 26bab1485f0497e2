package e2e

import (
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/castmesh/castmesh/pkg/media"
	"github.com/castmesh/castmesh/test/fixture"
	"github.com/castmesh/castmesh/test/harness"
)

// TestCodecLadder pushes segments for a stream whose key names a ladder of
// every output codec: H.264 and HEVC come back as MPEG-TS, VP9 and AV1 as
// fragmented MP4, and the HLS output declares each (EXT-X-MAP for fMP4).
func TestCodecLadder(t *testing.T) {
	c := startCluster(t)
	segs := fixture.Segments(t, fixture.ClipSpec{
		Width: 640, Height: 360, FPS: 30, Duration: 4 * time.Second,
		GOP: 2 * time.Second, Audio: true,
	}, 2*time.Second)
	want := []struct {
		name, contentType, codec string
	}{
		{"h264", "video/mp2t", "avc1."},
		{"hevc", "video/mp2t", "hvc1."},
		{"vp9", "video/mp4", "vp09."},
		{"av1", "video/mp4", "av01."},
	}
	for i, path := range segs {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		status, parts, body := harness.Push(t, fmt.Sprintf("%s/live/ladder-key/%d.ts", c.http, i), data, 2000)
		if status != http.StatusOK || len(parts) != len(want) {
			t.Fatalf("segment %d: %d, %d parts: %s", i, status, len(parts), body)
		}
		for j, p := range parts {
			if p.Name != want[j].name || p.ContentType != want[j].contentType {
				t.Fatalf("segment %d part %d: %s %s", i, j, p.Name, p.ContentType)
			}
			checkPart(t, p, want[j].codec)
		}
	}
	m := master(t, c.http+"/hls/ladder/index.m3u8")
	if len(m.Variants) != len(want) {
		t.Fatalf("master lists %d renditions, want %d", len(m.Variants), len(want))
	}
	for i, v := range m.Variants {
		if !strings.HasPrefix(v.Codecs[0], want[i].codec) || v.Resolution != "640x360" {
			t.Errorf("variant %d: %v %s", i, v.Codecs, v.Resolution)
		}
		pl := mediaPlaylist(t, resolve(c.http+"/hls/ladder/index.m3u8", v.URI))
		if fmp4 := want[i].contentType == "video/mp4"; (pl.Map != nil) != fmp4 || len(pl.Segments) != len(segs) {
			t.Errorf("%s playlist: %d segments, EXT-X-MAP %v", want[i].name, len(pl.Segments), pl.Map != nil)
		}
	}
}

// checkPart probes one pushed rendition: 640x360, 60 frames, the codec
// wanted, audio kept.
func checkPart(t *testing.T, p harness.Part, codec string) {
	t.Helper()
	var v media.VideoInfo
	var audio bool
	if p.ContentType == "video/mp4" {
		init, data, err := media.SplitFMP4(p.Data)
		if err != nil {
			t.Fatalf("%s: %v", p.Name, err)
		}
		info, err := media.ProbeFMP4(init, data)
		if err != nil {
			t.Fatalf("%s: %v", p.Name, err)
		}
		v, audio = info.Video, info.Audio != nil
	} else {
		info, err := media.ProbeTS(p.Data)
		if err != nil {
			t.Fatalf("%s: %v", p.Name, err)
		}
		v, audio = info.Video, info.Audio != nil
	}
	if v.Width != 640 || v.Height != 360 || v.Frames != 60 || !strings.HasPrefix(v.CodecString, codec) || !audio {
		t.Errorf("%s: %dx%d, %d frames, codec %q, audio %v", p.Name, v.Width, v.Height, v.Frames, v.CodecString, audio)
	}
}
