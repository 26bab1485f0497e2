package hls

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bluenviron/gohlslib/v2"
	"github.com/bluenviron/gohlslib/v2/pkg/codecs"
)

// readAll plays url with gohlslib's client until the end of the stream and
// returns the number of video frames it decoded. onSegment runs before each
// segment download.
func readAll(t *testing.T, url string, onSegment func(string)) int64 {
	t.Helper()
	var frames atomic.Int64
	c := &gohlslib.Client{
		URI:                       url,
		OnDownloadPrimaryPlaylist: func(string) {},
		OnDownloadStreamPlaylist:  func(string) {},
		OnDownloadSegment:         onSegment,
		OnDecodeError:             func(err error) { t.Errorf("decode error: %v", err) },
	}
	c.OnTracks = func(tracks []*gohlslib.Track) error {
		for _, tr := range tracks {
			switch tr.Codec.(type) {
			case *codecs.H264:
				c.OnDataH26x(tr, func(_, _ int64, _ [][]byte) { frames.Add(1) })
			case *codecs.MPEG4Audio:
				c.OnDataMPEG4Audio(tr, func(int64, [][]byte) {})
			}
		}
		return nil
	}
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- c.Wait2() }()
	select {
	case err := <-done:
		if !errors.Is(err, gohlslib.ErrClientEOS) {
			t.Fatalf("client ended with %v, want end of stream", err)
		}
	case <-time.After(30 * time.Second):
		c.Close()
		t.Fatal("client did not reach the end of the stream")
	}
	return frames.Load()
}

// TestClientReadsLiveStream plays a live stream of real segments, added out
// of order, with a real HLS reader; the stream ends while it plays, and the
// reader must get every frame and see the end.
func TestClientReadsLiveStream(t *testing.T) {
	t.Parallel() // real-time playback: overlap it with the other tests
	segs := realSegments(t)
	s, base := newTestServer(t, testConfig())
	st := open(t, s, "live1")
	var want int64
	order := []int{2, 0, 1}
	for _, i := range order {
		st.Add(int64(i), segs[i].info.Duration, ladder(segs[i]))
	}
	for _, sg := range segs {
		want += sg.info.Video.Frames
	}
	var once sync.Once
	got := readAll(t, base+"/hls/live1/index.m3u8", func(string) { once.Do(st.End) })
	if got != want {
		t.Fatalf("read %d frames, want %d", got, want)
	}
}
