package hls

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bluenviron/gohlslib/v2/pkg/playlist"

	"github.com/castmesh/castmesh/test/fixture"
)

func TestRecording(t *testing.T) {
	cfg := testConfig()
	cfg.Record = true
	s, base := newTestServer(t, cfg)
	st := open(t, s, "rec")
	var all []string
	for seq := range int64(8) {
		st.Add(seq, 2*time.Second, fakeTS("720p", "360p"))
		all = append(all, fmt.Sprintf("%d.ts", seq))
	}
	rec := base + "/hls/rec/720p/recording.m3u8"
	m := mediaPlaylist(t, rec)
	if got := uris(m); !slices.Equal(got, all) || m.Endlist || m.PlaylistType == nil || *m.PlaylistType != playlist.MediaPlaylistTypeEvent {
		t.Fatalf("live recording: %v endlist %v type %v", got, m.Endlist, m.PlaylistType)
	}
	if got := uris(mediaPlaylist(t, base+"/hls/rec/720p/index.m3u8")); len(got) != cfg.Window {
		t.Fatalf("live playlist has %d segments, want the window of %d", len(got), cfg.Window)
	}
	if r := get(t, base+"/hls/rec/720p/0.ts"); r.status != http.StatusOK {
		t.Fatalf("recorded segment 0 outside the window: %d", r.status)
	}
	master := mustGet(t, base+"/hls/rec/recording.m3u8")
	if !strings.Contains(master, "\n720p/recording.m3u8\n") || !strings.Contains(master, "\n360p/recording.m3u8\n") {
		t.Fatalf("recording master:\n%s", master)
	}

	st.End()
	m = mediaPlaylist(t, rec)
	if got := uris(m); !slices.Equal(got, all) || !m.Endlist || m.PlaylistType == nil || *m.PlaylistType != playlist.MediaPlaylistTypeVOD {
		t.Fatalf("ended recording: %v endlist %v type %v", got, m.Endlist, m.PlaylistType)
	}
	if live := mediaPlaylist(t, base+"/hls/rec/360p/index.m3u8"); !live.Endlist {
		t.Fatal("live playlist has no ENDLIST after End")
	}
	st.Add(8, time.Second, fakeTS("720p"))
	if got := uris(mediaPlaylist(t, rec)); len(got) != len(all) {
		t.Fatalf("a segment added after End was inserted: %v", got)
	}
}

func TestNoRecordingUnlessConfigured(t *testing.T) {
	s, base := newTestServer(t, testConfig())
	st := open(t, s, "norec")
	st.Add(0, time.Second, fakeTS("a"))
	for _, p := range []string{"/hls/norec/recording.m3u8", "/hls/norec/a/recording.m3u8"} {
		if r := get(t, base+p); r.status != http.StatusNotFound || !strings.Contains(r.body, "no_recording") {
			t.Fatalf("%s: %d %s", p, r.status, r.body)
		}
	}
}

// TestEndFlushesWaiting: End inserts what waits, giving up what is missing.
func TestEndFlushesWaiting(t *testing.T) {
	s, base := newTestServer(t, testConfig())
	st := open(t, s, "flush")
	st.Add(0, time.Second, fakeTS("a"))
	st.Add(2, time.Second, fakeTS("a"))
	st.End()
	m := mediaPlaylist(t, base+"/hls/flush/a/index.m3u8")
	if got := uris(m); !slices.Equal(got, []string{"0.ts", "|2.ts"}) || !m.Endlist {
		t.Fatalf("got %v endlist %v", got, m.Endlist)
	}
}

func TestExpiry(t *testing.T) {
	cfg := testConfig()
	cfg.RetainEnded = time.Hour
	cfg.SweepInterval = time.Millisecond
	s, base := newTestServer(t, cfg)
	clock := fixture.NewClock(time.Unix(1_700_000_000, 0))
	s.now = clock.Now
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	}()

	st := open(t, s, "exp")
	st.Add(0, time.Second, fakeTS("a"))
	url := base + "/hls/exp/a/index.m3u8"
	clock.Advance(2 * time.Hour) // a live stream never expires
	s.sweep()
	mustGet(t, url)

	st.End()
	clock.Advance(time.Hour - time.Second)
	s.sweep()
	if r := get(t, url); r.status != http.StatusOK || !strings.Contains(r.header.Get("Cache-Control"), "max-age=3600") {
		t.Fatalf("ended stream before expiry: %d %q", r.status, r.header.Get("Cache-Control"))
	}
	clock.Advance(time.Second)
	waitFor(t, "the expired stream to 404", func() bool { return get(t, url).status == http.StatusNotFound })
	if _, err := s.Open("exp"); err != nil {
		t.Fatalf("reopen after expiry: %v", err)
	}
}
