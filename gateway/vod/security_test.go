package vod

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/castmesh/castmesh/pkg/clientip"
	"github.com/castmesh/castmesh/test/fixture"
)

// TestPlayTokensExpire: Issue #12 finding 14: play tokens never expired, so
// a leaked /v1/play/ link played forever. A token now signs its expiry.
func TestPlayTokensExpire(t *testing.T) {
	clock := fixture.NewClock(time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC))
	a := &API{cfg: DefaultConfig(), now: clock.Now, playSecret: []byte("0123456789abcdef0123456789abcdef")}
	u := a.playURL("job_1", "master.m3u8")
	token := strings.Split(strings.TrimPrefix(u, "/v1/play/"), "/")[0]
	if id, ok := a.playable(token); !ok || id != "job_1" {
		t.Fatalf("fresh token %q refused", token)
	}
	id, rest, _ := strings.Cut(token, ".")
	exp, mac, _ := strings.Cut(rest, ".")
	tests := []struct {
		name  string
		token string
	}{
		{"other job", "job_2." + exp + "." + mac},
		{"later expiry", id + ".99999999999." + mac},
		{"no expiry", id + "." + mac},
		{"old format", id + "." + a.playToken(id, "")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, ok := a.playable(tt.token); ok {
				t.Fatalf("%q accepted", tt.token)
			}
		})
	}
	clock.Advance(a.cfg.PlayTTL)
	if _, ok := a.playable(token); ok {
		t.Fatal("a token past play_ttl still plays")
	}
}

// TestPerIPLimitBehindTrustedProxy: Issue #12 finding 11: behind a load
// balancer every caller had its address, so one client exhausted the
// bucket of all; and a client must not pick its own address either.
func TestPerIPLimitBehindTrustedProxy(t *testing.T) {
	clients, err := clientip.New([]string{"10.0.0.0/8"})
	if err != nil {
		t.Fatal(err)
	}
	l := newLimiter(RateLimitConfig{PerIP: Bucket{Rate: 1, Burst: 1}}, clients)
	l.perIP.now = fixture.NewClock(time.Unix(0, 0)).Now
	req := func(remote, xff string) *http.Request {
		r := httptest.NewRequestWithContext(t.Context(), http.MethodGet, "/v1/jobs", nil)
		r.RemoteAddr = remote
		if xff != "" {
			r.Header.Set("X-Forwarded-For", xff)
		}
		return r
	}
	if err := l.allowIP(req("10.0.0.1:5000", "198.51.100.1")); err != nil {
		t.Fatalf("first client: %v", err)
	}
	if err := l.allowIP(req("10.0.0.1:5000", "198.51.100.2")); err != nil {
		t.Fatalf("a second client behind the same proxy shares the first's bucket: %v", err)
	}
	if err := l.allowIP(req("10.0.0.2:5000", "198.51.100.1")); err == nil {
		t.Fatal("the first client got a new bucket through another proxy")
	}
	if err := l.allowIP(req("203.0.113.9:5000", "")); err != nil {
		t.Fatalf("direct client: %v", err)
	}
	if err := l.allowIP(req("203.0.113.9:5000", "192.0.2.77")); err == nil {
		t.Fatal("an untrusted peer escaped its bucket with X-Forwarded-For")
	}
}
