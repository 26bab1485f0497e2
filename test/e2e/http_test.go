package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/bluenviron/gohlslib/v2/pkg/playlist"

	"github.com/castmesh/castmesh/pkg/media"
	"github.com/castmesh/castmesh/test/harness"
)

func master(t *testing.T, url string) *playlist.Multivariant {
	t.Helper()
	pl, err := playlist.Unmarshal(harness.MustGet(t, url))
	if err != nil {
		t.Fatalf("%s: %v", url, err)
	}
	m, ok := pl.(*playlist.Multivariant)
	if !ok {
		t.Fatalf("%s is not a multivariant playlist", url)
	}
	return m
}

func mediaPlaylist(t *testing.T, url string) *playlist.Media {
	t.Helper()
	pl, err := playlist.Unmarshal(harness.MustGet(t, url))
	if err != nil {
		t.Fatalf("%s: %v", url, err)
	}
	m, ok := pl.(*playlist.Media)
	if !ok {
		t.Fatalf("%s is not a media playlist", url)
	}
	return m
}

// resolve makes a playlist-relative URI absolute.
func resolve(playlistURL, uri string) string {
	return playlistURL[:strings.LastIndex(playlistURL, "/")+1] + uri
}

// checkedSegment is a downloaded segment and what ProbeTS found in it.
type checkedSegment struct {
	uri  string
	dur  time.Duration
	info media.TSInfo
}

// checkRecording downloads every segment of a rendition's recording and
// checks each one: decodable, the wanted size, with audio; and that they
// follow each other without gaps or overlaps in PTS.
func checkRecording(t *testing.T, url string, width, height int) []checkedSegment {
	t.Helper()
	pl := mediaPlaylist(t, url)
	if !pl.Endlist {
		t.Fatalf("%s has no EXT-X-ENDLIST", url)
	}
	var segs []checkedSegment
	for i, s := range pl.Segments {
		if s.Discontinuity || s.Gap {
			t.Errorf("%s segment %d: discontinuity %v gap %v", url, i, s.Discontinuity, s.Gap)
		}
		info, err := media.ProbeTS(harness.MustGet(t, resolve(url, s.URI)))
		if err != nil {
			t.Fatalf("%s %s: %v", url, s.URI, err)
		}
		if info.Video.Width != width || info.Video.Height != height || info.Audio == nil || info.Audio.Frames == 0 {
			t.Errorf("%s %s: %dx%d audio %+v", url, s.URI, info.Video.Width, info.Video.Height, info.Audio)
		}
		segs = append(segs, checkedSegment{uri: s.URI, dur: s.Duration, info: info})
	}
	for i := 1; i < len(segs); i++ {
		prev, cur := segs[i-1].info.Video, segs[i].info.Video
		frame := (prev.LastPTS - prev.FirstPTS) / max(prev.Frames-1, 1)
		if gap := cur.FirstPTS - prev.LastPTS; gap < frame/2 || gap > frame*3/2 {
			t.Errorf("%s: PTS jumps by %v between %s and %s (one frame is %v)", url,
				media.Duration(gap), segs[i-1].uri, segs[i].uri, media.Duration(frame))
		}
	}
	return segs
}
