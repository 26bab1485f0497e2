package clientip

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestForwardedOnlyFromTrustedProxies pins finding 11 of issue #12 at its
// root: per-IP limits saw the load balancer's address, and a header any
// client can send must not let it choose its own.
func TestForwardedOnlyFromTrustedProxies(t *testing.T) {
	r, err := New([]string{"10.0.0.0/8", "192.0.2.7", "2001:db8::/32"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		remote  string
		headers map[string]string
		want    string
	}{
		{"no proxy", "203.0.113.5:4000", nil, "203.0.113.5"},
		{"untrusted peer's header ignored", "203.0.113.5:4000", map[string]string{"X-Forwarded-For": "1.2.3.4"}, "203.0.113.5"},
		{"trusted proxy", "10.1.2.3:4000", map[string]string{"X-Forwarded-For": "198.51.100.9"}, "198.51.100.9"},
		{"client prefix is not believed", "10.1.2.3:4000", map[string]string{"X-Forwarded-For": "6.6.6.6, 198.51.100.9"}, "198.51.100.9"},
		{"chain of trusted proxies", "10.1.2.3:4000", map[string]string{"X-Forwarded-For": "198.51.100.9, 192.0.2.7, 10.9.9.9"}, "198.51.100.9"},
		{"trusted proxy without header", "10.1.2.3:4000", nil, "10.1.2.3"},
		{"garbage ends the chain", "10.1.2.3:4000", map[string]string{"X-Forwarded-For": "198.51.100.9, nonsense"}, "10.1.2.3"},
		{"forwarded header", "192.0.2.7:80", map[string]string{"Forwarded": `for=198.51.100.1;proto=https, for="[2001:db8:cafe::17]:4711"`}, "198.51.100.1"},
		{"forwarded rightmost untrusted", "192.0.2.7:80", map[string]string{"Forwarded": `for="[2001:aaaa::1]:4711", for=10.0.0.1`}, "2001:aaaa::1"},
		{"forwarded wins over x-forwarded-for", "192.0.2.7:80", map[string]string{"Forwarded": "for=198.51.100.1", "X-Forwarded-For": "6.6.6.6"}, "198.51.100.1"},
		{"mapped ipv6 peer", "[::ffff:10.0.0.1]:80", map[string]string{"X-Forwarded-For": "198.51.100.2"}, "198.51.100.2"},
		{"ipv6 peer", "[2001:db8::1]:80", map[string]string{"X-Forwarded-For": "2001:aaaa::2"}, "2001:aaaa::2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequestWithContext(t.Context(), http.MethodGet, "/", nil)
			req.RemoteAddr = tt.remote
			for k, v := range tt.headers {
				req.Header.Set(k, v)
			}
			if got := r.ClientIP(req); got != tt.want {
				t.Fatalf("got %s, want %s", got, tt.want)
			}
		})
	}
}

func TestZeroResolverTrustsNoOne(t *testing.T) {
	req := httptest.NewRequestWithContext(t.Context(), http.MethodGet, "/", nil)
	req.RemoteAddr = "127.0.0.1:1"
	req.Header.Set("X-Forwarded-For", "1.2.3.4")
	var r *Resolver
	if got := r.ClientIP(req); got != "127.0.0.1" {
		t.Fatalf("got %s", got)
	}
	if got := (&Resolver{}).ClientIP(req); got != "127.0.0.1" {
		t.Fatalf("got %s", got)
	}
}

func TestNewNamesTheBadEntry(t *testing.T) {
	for _, bad := range [][]string{{"nonsense"}, {"10.0.0.0/33"}, {""}} {
		if _, err := New(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func FuzzClientIP(f *testing.F) {
	f.Add("10.0.0.1:1", "1.2.3.4, 10.0.0.2", `for="[::1]:80"`)
	f.Add("[::1]:1", "", "")
	r, err := New([]string{"10.0.0.0/8", "::1"})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, remote, xff, fwd string) {
		req := httptest.NewRequestWithContext(t.Context(), http.MethodGet, "/", nil)
		req.RemoteAddr = remote
		req.Header.Set("X-Forwarded-For", xff)
		req.Header.Set("Forwarded", fwd)
		_ = r.ClientIP(req)
	})
}
