package hls

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bluenviron/gohlslib/v2/pkg/playlist"
)

// media fetches and parses a media playlist.
func mediaPlaylist(t *testing.T, url string) *playlist.Media {
	t.Helper()
	var m playlist.Media
	if err := m.Unmarshal([]byte(mustGet(t, url))); err != nil {
		t.Fatalf("%s: %v", url, err)
	}
	return &m
}

// uris lists the playlist's segments, "|" marking a discontinuity before one
// and "~" a gap.
func uris(m *playlist.Media) []string {
	out := make([]string, len(m.Segments))
	for i, s := range m.Segments {
		switch {
		case s.Discontinuity && s.Gap:
			out[i] = "|~" + s.URI
		case s.Discontinuity:
			out[i] = "|" + s.URI
		case s.Gap:
			out[i] = "~" + s.URI
		default:
			out[i] = s.URI
		}
	}
	return out
}

func TestOrdering(t *testing.T) {
	sec := 2 * time.Second
	type step struct {
		add  int64 // segment to add, or -1
		skip int64 // segment to skip, or -1
	}
	add := func(seq int64) step { return step{add: seq, skip: -1} }
	skip := func(seq int64) step { return step{add: -1, skip: seq} }
	cases := []struct {
		name    string
		steps   []step
		want    []string // 720p live playlist; nil means 404
		wantMSN int
	}{
		{"nothing yet", nil, nil, 0},
		{"waits for segment 0", []step{add(1), add(2)}, nil, 0},
		{"out of order served in order", []step{add(2), add(1), add(0)}, []string{"0.ts", "1.ts", "2.ts"}, 0},
		{"duplicates and late segments dropped", []step{add(0), add(0), add(1), add(0)}, []string{"0.ts", "1.ts"}, 0},
		{"skip makes a discontinuity", []step{add(0), skip(1), add(2)}, []string{"0.ts", "|2.ts"}, 0},
		{"skip ahead waits its turn", []step{add(0), skip(2), add(3), add(1)}, []string{"0.ts", "1.ts", "|3.ts"}, 0},
		{"skip of a waiting segment is ignored", []step{add(0), add(2), skip(2), add(1)}, []string{"0.ts", "1.ts", "2.ts"}, 0},
		{"skipped first segment is no discontinuity", []step{skip(0), add(1)}, []string{"1.ts"}, 0},
		{
			"gives up after MaxPending waiting",
			[]step{add(0), add(2), add(3), add(4), add(5), add(6), add(1)},
			[]string{"0.ts", "|2.ts", "3.ts", "4.ts", "5.ts", "6.ts"},
			0,
		},
		{
			"sliding window",
			[]step{add(0), add(1), add(2), add(3), add(4), add(5), add(6), add(7), add(8)},
			[]string{"3.ts", "4.ts", "5.ts", "6.ts", "7.ts", "8.ts"},
			3,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := testConfig()
			cfg.Window = 6 // MaxPending stays 4
			s, base := newTestServer(t, cfg)
			st := open(t, s, "o")
			for _, sp := range c.steps {
				if sp.add >= 0 {
					st.Add(sp.add, sec, fakeTS("720p"))
				} else {
					st.Skip(sp.skip)
				}
			}
			url := base + "/hls/o/720p/index.m3u8"
			if c.want == nil {
				if r := get(t, url); r.status != http.StatusNotFound {
					t.Fatalf("status %d, want 404", r.status)
				}
				return
			}
			m := mediaPlaylist(t, url)
			if got := uris(m); !slices.Equal(got, c.want) || m.MediaSequence != c.wantMSN {
				t.Fatalf("got %v msn %d, want %v msn %d", got, m.MediaSequence, c.want, c.wantMSN)
			}
		})
	}
}

func TestSkipTo(t *testing.T) {
	s, base := newTestServer(t, testConfig())
	st := open(t, s, "resume")
	st.SkipTo(100) // an HTTP push stream that starts at 100
	st.Add(101, time.Second, fakeTS("a"))
	st.Add(100, time.Second, fakeTS("a"))
	st.Add(103, time.Second, fakeTS("a"))
	st.SkipTo(103) // 102 is lost: a discontinuity
	m := mediaPlaylist(t, base+"/hls/resume/a/index.m3u8")
	if got, want := uris(m), []string{"100.ts", "101.ts", "|103.ts"}; !slices.Equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}

// TestDiscontinuitySequence checks that a discontinuity that slides out of
// the window is counted in EXT-X-DISCONTINUITY-SEQUENCE (RFC 8216 §6.2.2).
func TestDiscontinuitySequence(t *testing.T) {
	s, base := newTestServer(t, testConfig())
	st := open(t, s, "d")
	st.Add(0, time.Second, fakeTS("a"))
	st.Skip(1)
	for seq := int64(2); seq < 6; seq++ {
		st.Add(seq, time.Second, fakeTS("a"))
	}
	m := mediaPlaylist(t, base+"/hls/d/a/index.m3u8")
	if got := uris(m); !slices.Equal(got, []string{"3.ts", "4.ts", "5.ts"}) || m.DiscontinuitySequence == nil || *m.DiscontinuitySequence != 1 {
		t.Fatalf("got %v, discontinuity sequence %v", got, m.DiscontinuitySequence)
	}
	if m.MediaSequence != 2 {
		t.Fatalf("media sequence %d, want 2 (segment 1 was never inserted)", m.MediaSequence)
	}
}

// TestMissingRendition: a rendition absent from one segment gets a gap
// there, and every rendition keeps the same media sequence numbers.
func TestMissingRendition(t *testing.T) {
	s, base := newTestServer(t, testConfig())
	st := open(t, s, "g")
	st.Add(0, time.Second, fakeTS("hi", "lo"))
	st.Add(1, time.Second, fakeTS("hi"))
	st.Add(2, time.Second, fakeTS("hi", "lo", "new"))
	cases := []struct {
		rendition string
		want      []string
		msn       int
	}{
		{"hi", []string{"0.ts", "1.ts", "2.ts"}, 0},
		{"lo", []string{"0.ts", "~1.ts", "2.ts"}, 0},
		{"new", []string{"2.ts"}, 2},
	}
	for _, c := range cases {
		t.Run(c.rendition, func(t *testing.T) {
			m := mediaPlaylist(t, base+"/hls/g/"+c.rendition+"/index.m3u8")
			if got := uris(m); !slices.Equal(got, c.want) || m.MediaSequence != c.msn {
				t.Fatalf("got %v msn %d, want %v msn %d", got, m.MediaSequence, c.want, c.msn)
			}
		})
	}
	if r := get(t, base+"/hls/g/lo/1.ts"); r.status != http.StatusNotFound {
		t.Fatalf("gap segment: status %d, want 404", r.status)
	}
	master := mustGet(t, base+"/hls/g/index.m3u8")
	if i, j, k := strings.Index(master, "hi/"), strings.Index(master, "lo/"), strings.Index(master, "new/"); i < 0 || i > j || j > k {
		t.Fatalf("master not in ladder order:\n%s", master)
	}
}

func TestBadAddsAreLost(t *testing.T) {
	s, base := newTestServer(t, testConfig())
	st := open(t, s, "bad")
	st.Add(0, time.Second, fakeTS("a"))
	st.Add(1, 0, fakeTS("a"))                                   // no duration
	st.Add(2, time.Second, fakeTS("bad name"))                  // no usable rendition
	st.Add(3, time.Second, append(fakeTS("a"), fakeTS("a")...)) // one kept
	st.Add(-1, time.Second, fakeTS("a"))
	m := mediaPlaylist(t, base+"/hls/bad/a/index.m3u8")
	if got, want := uris(m), []string{"0.ts", "|3.ts"}; !slices.Equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}
