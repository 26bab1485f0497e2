package gateway

import (
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/castmesh/castmesh/gateway/apikey"
)

// TestStreamListingNeedsKey: Issue #12 finding 6: /api/streams answered
// anyone with every playback id. Off loopback it needs a key of scope
// streams; the loopback devnet stays open.
func TestStreamListingNeedsKey(t *testing.T) {
	const opsKey, aiKey = "ops-key-0123456789", "ai-key-0123456789"
	cfg := apikey.DefaultConfig()
	cfg.Keys = []apikey.Key{
		{Key: opsKey, Name: "ops", Scopes: []string{apikey.ScopeStreams}},
		{Key: aiKey, Name: "app", Scopes: []string{apikey.ScopeAI}},
	}
	listed := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(`{"streams":[]}`)) })
	tests := []struct {
		name   string
		addr   string
		keys   []apikey.Key
		key    string
		status int
	}{
		{"public, no key", "0.0.0.0:8935", cfg.Keys, "", http.StatusUnauthorized},
		{"public, an AI key", "0.0.0.0:8935", cfg.Keys, aiKey, http.StatusForbidden},
		{"public, the streams key", "0.0.0.0:8935", cfg.Keys, opsKey, http.StatusOK},
		{"public, no key configured", "0.0.0.0:8935", nil, "", http.StatusUnauthorized},
		{"loopback devnet", "127.0.0.1:8935", nil, "", http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := cfg
			c.Keys = tt.keys
			keys, err := apikey.New(c, tt.addr, false)
			if err != nil {
				t.Fatal(err)
			}
			g := &Gateway{keys: keys, logger: slog.New(slog.DiscardHandler)}
			req := httptest.NewRequestWithContext(t.Context(), http.MethodGet, "/api/streams", nil)
			if tt.key != "" {
				req.Header.Set("Authorization", "Bearer "+tt.key)
			}
			rec := httptest.NewRecorder()
			g.listing(listed).ServeHTTP(rec, req)
			if rec.Code != tt.status {
				t.Fatalf("got %d %s, want %d", rec.Code, rec.Body, tt.status)
			}
		})
	}
}

// TestBaseURLIgnoresHost: Issue #12 finding 14: URLs handed out (AI result
// links) were built from the request's Host header, which the caller
// writes. They come from public_url, else the bound address.
func TestBaseURLIgnoresHost(t *testing.T) {
	ln, err := (&net.ListenConfig{}).Listen(t.Context(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	g := &Gateway{httpLn: ln}
	if got, want := g.BaseURL(), "http://"+ln.Addr().String(); got != want {
		t.Fatalf("got %s, want %s", got, want)
	}
	g.cfg.PublicURL = "https://video.example.com/"
	if got := g.BaseURL(); got != "https://video.example.com" {
		t.Fatalf("got %s", got)
	}
	// The AI API's results are linked from this base, whatever Host says.
	req := httptest.NewRequestWithContext(t.Context(), http.MethodPost, "/text-to-image", nil)
	req.Host = "evil.example"
	if got := g.aiBaseURL(req); got != "https://video.example.com" {
		t.Fatalf("AI base URL %s follows the Host header", got)
	}
}

func TestVODNeedsKeysBeyondLoopback(t *testing.T) {
	c := DefaultConfig()
	c.Payments.Mode = "off"
	c.VOD.Enabled, c.DataDir, c.HTTPAddr = true, t.TempDir(), "0.0.0.0:8935"
	if err := c.Validate(); err == nil {
		t.Fatal("a public VOD API without keys was accepted")
	}
	c.HTTPAddr = "127.0.0.1:8935"
	if err := c.Validate(); err != nil {
		t.Fatalf("loopback: %v", err)
	}
	c.TrustedProxies = []string{"127.0.0.1"}
	if err := c.Validate(); err == nil {
		t.Fatal("a loopback VOD API behind a reverse proxy without keys was accepted")
	}
}

// TestStartupLogSaysWhatIsOpen: Done-when 4 of issue #12: the startup log
// names each listener's reach and which routes need keys.
func TestStartupLogSaysWhatIsOpen(t *testing.T) {
	tests := []struct {
		name     string
		httpAddr string
		keys     []apikey.Key
		want     []string
	}{
		{"devnet", "127.0.0.1:8935", nil, []string{"AI API open without keys on loopback", "reach=loopback"}},
		{"public without keys", "0.0.0.0:8935", nil, []string{"none is configured", "reach=public"}},
		{"public with keys", "0.0.0.0:8935", []apikey.Key{{Key: "ops-key-0123456789", Name: "ops"}}, []string{"need API keys", "keys=1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := DefaultConfig()
			cfg.HTTPAddr, cfg.APIKeys.Keys = tt.httpAddr, tt.keys
			keys, err := apikey.New(cfg.APIKeys, cfg.HTTPAddr, false)
			if err != nil {
				t.Fatal(err)
			}
			var buf strings.Builder
			logExposure(slog.New(slog.NewTextHandler(&buf, nil)), cfg, keys, tt.httpAddr, "127.0.0.1:1935", "127.0.0.1:7935")
			for _, w := range tt.want {
				if !strings.Contains(buf.String(), w) {
					t.Errorf("log lacks %q:\n%s", w, buf.String())
				}
			}
		})
	}
}
