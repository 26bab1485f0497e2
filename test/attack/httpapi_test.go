package attack

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/castmesh/castmesh/gateway"
	"github.com/castmesh/castmesh/gateway/apikey"
)

const attackKey = "attack-key-0123456789"

// startPublicGateway runs an in-process gateway configured as if it were
// exposed (api_keys.require always), bound to loopback.
func startPublicGateway(t *testing.T, edit func(*gateway.Config)) *gateway.Gateway {
	t.Helper()
	cfg := gateway.DefaultConfig()
	cfg.HTTPAddr, cfg.AdminAddr, cfg.RTMP.Addr = "127.0.0.1:0", "127.0.0.1:0", "127.0.0.1:0"
	cfg.Payments.Mode = "off"
	cfg.APIKeys.Require = apikey.RequireAlways
	cfg.APIKeys.Keys = []apikey.Key{{Key: attackKey, Name: "attacker", Scopes: []string{apikey.ScopeAI}}}
	if edit != nil {
		edit(&cfg)
	}
	ctx, cancel := context.WithCancel(t.Context())
	g, err := gateway.New(ctx, cfg, prometheus.NewRegistry(), slog.New(slog.DiscardHandler))
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- g.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("gateway: %v", err)
			}
		case <-time.After(20 * time.Second):
			t.Error("the gateway did not stop")
		}
	})
	return g
}

func send(t *testing.T, method, url, key string, body []byte) int {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// TestAIAPIRefusesStrangers plays a stranger against an exposed gateway's
// AI API and stream listing: no key, a made-up key and a flood with a
// real one. Nothing is let through without a key, the key's rate holds,
// and the node keeps answering.
func TestAIAPIRefusesStrangers(t *testing.T) {
	g := startPublicGateway(t, func(c *gateway.Config) {
		c.APIKeys.Limits.Rate, c.APIKeys.Limits.Burst = 0.1, 5
	})
	base := g.BaseURL()
	body := []byte(`{"prompt":"free work please","model_id":""}`)
	if s := send(t, http.MethodPost, base+"/text-to-image", "", body); s != http.StatusUnauthorized {
		t.Fatalf("no key: %d", s)
	}
	if s := send(t, http.MethodPost, base+"/text-to-image", "guessed-key-0123456789", body); s != http.StatusUnauthorized {
		t.Fatalf("a guessed key: %d", s)
	}
	if s := send(t, http.MethodGet, base+"/api/streams", "", nil); s != http.StatusUnauthorized {
		t.Fatalf("stream listing without a key: %d", s)
	}
	if s := send(t, http.MethodGet, base+"/api/streams", attackKey, nil); s != http.StatusForbidden {
		t.Fatalf("stream listing with an AI key: %d", s)
	}
	limited := 0
	for range 100 {
		if send(t, http.MethodPost, base+"/text-to-image", attackKey, body) == http.StatusTooManyRequests {
			limited++
		}
	}
	// Burst 5 at one per 10 s: a handful get through, no more.
	if limited < 90 {
		t.Fatalf("only %d of 100 flood requests were rate limited", limited)
	}
	if s := send(t, http.MethodGet, "http://"+g.AdminAddr()+"/healthz", "", nil); s != http.StatusOK {
		t.Fatalf("node health after the flood: %d", s)
	}
}
