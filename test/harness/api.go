package harness

import (
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/castmesh/castmesh/test/fixture"
)

// Get fetches url and returns the status and body; a connection error reads
// as status 0, so pollers can wait for a server to come up.
func Get(t testing.TB, url string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, []byte(err.Error())
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, []byte(err.Error())
	}
	return resp.StatusCode, b
}

// MustGet fetches url and fails the test unless it answers 200.
func MustGet(t testing.TB, url string) []byte {
	t.Helper()
	code, b := Get(t, url)
	if code != http.StatusOK {
		t.Fatalf("GET %s: %d %s", url, code, b)
	}
	return b
}

// Stream is one entry of GET /api/streams.
type Stream struct {
	ID          string `json:"id"`
	PlaybackID  string `json:"playback_id"`
	PlaybackURL string `json:"playback_url"`
	Ingest      string `json:"ingest"`
	Segments    int64  `json:"segments"`
	Failed      int64  `json:"failed_segments"`
	Dropped     int64  `json:"dropped_segments"`
}

// Streams lists the gateway's live streams.
func Streams(t testing.TB, base string) []Stream {
	t.Helper()
	var body struct{ Streams []Stream }
	if err := json.Unmarshal(MustGet(t, base+"/api/streams"), &body); err != nil {
		t.Fatal(err)
	}
	return body.Streams
}

// WaitStream waits until a live stream matches pick and returns it.
func WaitStream(t testing.TB, base string, within time.Duration, pick func(Stream) bool) Stream {
	t.Helper()
	var found Stream
	fixture.Eventually(t, within, func() bool {
		for _, s := range Streams(t, base) {
			if pick(s) {
				found = s
				return true
			}
		}
		return false
	})
	return found
}

// StreamGone reports whether the stream has ended.
func StreamGone(t testing.TB, base, id string) bool {
	t.Helper()
	for _, s := range Streams(t, base) {
		if s.ID == id {
			return false
		}
	}
	return true
}
