package aiapi

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestResultsServeOnlySniffedTypes: Issue #12 finding 9: results were
// re-hosted with the MIME type the orchestrator claimed, so an HTML or SVG
// page claimed as image/svg+xml or text/html ran as the gateway's origin
// (stored XSS). The type is now what the bytes sniff as, from an
// allow-list; anything else is a sandboxed download.
func TestResultsServeOnlySniffedTypes(t *testing.T) {
	png := "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
	wav := "RIFF\x24\x00\x00\x00WAVEfmt "
	mp4 := "\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"
	tests := []struct {
		name       string
		claimed    string
		data       string
		want       string
		attachment bool
	}{
		{"png", "image/png", png, "image/png", false},
		{"png claimed as html", "text/html", png, "image/png", false},
		{"html claimed as png", "image/png", "<html><script>alert(1)</script></html>", "application/octet-stream", true},
		{"html claimed as html", "text/html", "<!DOCTYPE html><script>alert(1)</script>", "application/octet-stream", true},
		{"svg", "image/svg+xml", `<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`, "application/octet-stream", true},
		{"svg with xml prolog", "image/svg+xml", `<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`, "application/octet-stream", true},
		{"javascript", "application/javascript", "alert(1)", "application/octet-stream", true},
		{"wav", "audio/x-wav", wav, "audio/wav", false},
		{"mp4", "video/mp4", mp4, "video/mp4", false},
	}
	res := newResults(ResultsConfig{TTL: time.Hour, MaxBytes: 1 << 20})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id := res.put(tt.claimed, []byte(tt.data))
			rec := httptest.NewRecorder()
			res.ServeHTTP(rec, httptest.NewRequestWithContext(t.Context(), http.MethodGet, resultsPath+id, nil))
			h := rec.Header()
			if rec.Code != 200 || h.Get("Content-Type") != tt.want {
				t.Fatalf("%d, Content-Type %q, want %q", rec.Code, h.Get("Content-Type"), tt.want)
			}
			if h.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(h.Get("Content-Security-Policy"), "sandbox") {
				t.Fatalf("headers %v", h)
			}
			if got := strings.HasPrefix(h.Get("Content-Disposition"), "attachment"); got != tt.attachment {
				t.Fatalf("Content-Disposition %q", h.Get("Content-Disposition"))
			}
			if tt.attachment && !strings.HasSuffix(id, ".bin") {
				t.Fatalf("id %s carries the claimed type's extension", id)
			}
		})
	}
}
