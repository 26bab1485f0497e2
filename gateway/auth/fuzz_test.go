package auth

import (
	"errors"
	"log/slog"
	"net/http"
	"testing"

	"github.com/castmesh/castmesh/gateway/ingest"
)

// FuzzWebhookReply parses arbitrary webhook answers: each must grant a
// usable playback id that is not the key, or refuse with ErrUnauthorized.
func FuzzWebhookReply(f *testing.F) {
	f.Add([]byte(`{"playback_id":"abc","profiles":[{"name":"p","width":640,"height":360,"bitrate":800000}]}`))
	f.Add([]byte(`{"playback_id":"the-key"}`))
	f.Add([]byte(""))
	f.Add([]byte(`{"profiles":[]}`))
	a, err := New(DefaultConfig(), http.DefaultClient, slog.New(slog.DiscardHandler))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, reply []byte) {
		g, err := a.grant("the-key", reply)
		if err != nil {
			if !errors.Is(err, ingest.ErrUnauthorized) {
				t.Fatalf("refusal %v does not wrap ErrUnauthorized", err)
			}
			return
		}
		if !playbackIDPattern.MatchString(g.PlaybackID) || g.PlaybackID == "the-key" {
			t.Fatalf("granted playback id %q", g.PlaybackID)
		}
	})
}
