package auth

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/castmesh/castmesh/gateway/ingest"
	"github.com/castmesh/castmesh/pkg/media"
)

func newAuth(t *testing.T, cfg Config) *Authorizer {
	t.Helper()
	a, err := New(cfg, http.DefaultClient, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func req(key string) ingest.OpenRequest {
	return ingest.OpenRequest{Key: key, RemoteAddr: "127.0.0.1:5000", Protocol: ingest.RTMP}
}

func TestStaticAndDevKeys(t *testing.T) {
	ladder := media.DefaultLadder()[:1]
	cfg := DefaultConfig()
	cfg.PlaybackSecret = "p"
	cfg.Keys = []StaticKey{{Key: "k1", PlaybackID: "show"}, {Key: "k2", Profiles: ladder}}
	a := newAuth(t, cfg)
	g, err := a.Authorize(t.Context(), req("k1"))
	if err != nil || g.PlaybackID != "show" || g.Profiles != nil {
		t.Fatalf("k1: %+v %v", g, err)
	}
	g, err = a.Authorize(t.Context(), req("k2"))
	if err != nil || g.PlaybackID != a.PlaybackID("k2") || len(g.Profiles) != 1 || g.PlaybackID == "k2" {
		t.Fatalf("k2: %+v %v", g, err)
	}
	for _, key := range []string{"other", ""} {
		if _, err := a.Authorize(t.Context(), req(key)); !errors.Is(err, ingest.ErrUnauthorized) {
			t.Fatalf("%q: %v", key, err)
		}
	}
	cfg.AllowAnyKey = true
	dev := newAuth(t, cfg)
	if g, err := dev.Authorize(t.Context(), req("anything")); err != nil || g.PlaybackID != a.PlaybackID("anything") {
		t.Fatalf("dev mode: %+v %v (ids must be stable for one secret)", g, err)
	}
}

func TestWebhook(t *testing.T) {
	tests := []struct {
		name    string
		status  int
		body    string
		wantErr bool
		check   func(*testing.T, Grant)
	}{
		{"empty 200", 200, "", false, nil},
		{
			"playback id and profiles", 200, `{"playback_id":"abc","profiles":[{"name":"p","width":640,"height":360,"bitrate":800000}]}`, false,
			func(t *testing.T, g Grant) {
				if g.PlaybackID != "abc" || len(g.Profiles) != 1 || g.Profiles[0].Width != 640 {
					t.Fatalf("grant %+v", g)
				}
			},
		},
		{"403", 403, "", true, nil},
		{"500", 500, "", true, nil},
		{"not json", 200, "yes", true, nil},
		{"bad profiles", 200, `{"profiles":[{"name":"p","width":3}]}`, true, nil},
		{"playback id is the key", 200, `{"playback_id":"secret-key"}`, true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got webhookRequest
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_ = json.NewDecoder(r.Body).Decode(&got)
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			}))
			defer srv.Close()
			cfg := DefaultConfig()
			cfg.WebhookURL = srv.URL
			g, err := newAuth(t, cfg).Authorize(t.Context(), req("secret-key"))
			if tt.wantErr {
				if !errors.Is(err, ingest.ErrUnauthorized) {
					t.Fatalf("got %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Key != "secret-key" || got.RemoteAddr != "127.0.0.1:5000" || got.Protocol != "rtmp" {
				t.Fatalf("webhook saw %+v", got)
			}
			if tt.check != nil {
				tt.check(t, g)
			}
		})
	}
}

func TestWebhookTimeoutRefuses(t *testing.T) {
	block := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { <-block }))
	defer srv.Close()
	defer close(block)
	cfg := DefaultConfig()
	cfg.WebhookURL, cfg.WebhookTimeout = srv.URL, 50*time.Millisecond
	if _, err := newAuth(t, cfg).Authorize(t.Context(), req("k")); !errors.Is(err, ingest.ErrUnauthorized) {
		t.Fatalf("got %v", err)
	}
}

func TestValidate(t *testing.T) {
	bad := []Config{
		{WebhookURL: "ftp://x", WebhookTimeout: time.Second},
		{WebhookTimeout: 0},
		{WebhookTimeout: time.Second, Keys: []StaticKey{{Key: ""}}},
		{WebhookTimeout: time.Second, Keys: []StaticKey{{Key: "a"}, {Key: "a"}}},
		{WebhookTimeout: time.Second, Keys: []StaticKey{{Key: "a", PlaybackID: "a"}}},
		{WebhookTimeout: time.Second, Keys: []StaticKey{{Key: "a", PlaybackID: "bad id"}}},
	}
	for i, c := range bad {
		if err := c.Validate(); err == nil {
			t.Errorf("case %d accepted", i)
		}
	}
}
