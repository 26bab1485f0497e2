package hls

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"
)

// TestConcurrentAdds adds segments from many goroutines in shuffled order
// while players poll; run with -race. Every segment must end up in the
// recording, in order, with no discontinuity.
func TestConcurrentAdds(t *testing.T) {
	cfg := testConfig()
	cfg.Record = true
	cfg.MaxPending = 64 // more than can be out of order here: nothing is given up
	s, base := newTestServer(t, cfg)
	st := open(t, s, "c")
	const n, writers = 48, 4
	seqs := rand.Perm(n)
	stop := make(chan struct{})
	var readers sync.WaitGroup
	for range 2 {
		readers.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				for _, p := range []string{"index.m3u8", "a/index.m3u8", "b/recording.m3u8", "a/0.ts"} {
					if r := get(t, base+"/hls/c/"+p); r.status != http.StatusOK && r.status != http.StatusNotFound {
						t.Errorf("%s: %d", p, r.status)
					}
				}
			}
		})
	}
	var writersWG sync.WaitGroup
	for w := range writers {
		writersWG.Go(func() {
			for i := w; i < n; i += writers {
				st.Add(int64(seqs[i]), time.Second, fakeTS("a", "b"))
			}
		})
	}
	writersWG.Wait()
	st.End()
	close(stop)
	readers.Wait()

	want := make([]string, n)
	for i := range want {
		want[i] = fmt.Sprintf("%d.ts", i)
	}
	for _, r := range []string{"a", "b"} {
		m := mediaPlaylist(t, base+"/hls/c/"+r+"/recording.m3u8")
		if got := uris(m); !slices.Equal(got, want) || !m.Endlist {
			t.Fatalf("%s: got %v endlist %v", r, got, m.Endlist)
		}
	}
}
