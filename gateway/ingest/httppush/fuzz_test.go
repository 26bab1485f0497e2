package httppush

import (
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/castmesh/castmesh/pkg/media"
	"github.com/castmesh/castmesh/test/fixture"
)

// FuzzParsePush checks the path and header parser: it never panics, what
// it accepts is in range, and what it refuses is a 4xx with a code.
func FuzzParsePush(f *testing.F) {
	f.Add("PUT", "s/1.ts", "2000", "640x360", "")
	f.Add("POST", "my-stream_2/0.ts", "", "", "")
	f.Add("GET", "s/1.ts", "", "", "")
	f.Add("PUT", "a.b/007.ts", "1e3", "1x", "5")
	f.Add("PUT", "s/99999999999999999999.ts", "-1", "0x0", "")
	f.Add("PUT", "s//1.ts", "30001", "16385x1", "")
	cfg := DefaultConfig()
	f.Fuzz(func(t *testing.T, method, path, duration, resolution, slice string) {
		h := http.Header{}
		h.Set("Content-Duration", duration)
		h.Set("Content-Resolution", resolution)
		h.Set("Content-Slice-From", slice)
		p, err := parsePush(cfg, method, path, h)
		if err != nil {
			var re *requestError
			if !errors.As(err, &re) || re.status < 400 || re.status >= 500 || re.code == "" {
				t.Fatalf("refusal %v is not a 4xx with a code", err)
			}
			return
		}
		if !streamName.MatchString(p.key) || p.seq < 0 || p.duration <= 0 || p.duration > cfg.MaxDuration ||
			p.width < 0 || p.height < 0 || p.width > maxSide || p.height > maxSide || slice != "" ||
			!strings.HasSuffix(path, ".ts") {
			t.Fatalf("accepted %q %q %q %q as %+v", method, path, duration, resolution, p)
		}
	})
}

// tinyClip and tinyMPEG2 are valid and unsupported segments of a few
// kilobytes: the fuzzer mutates small inputs far faster than 200 KB ones.
var (
	tinyClip  = fixture.ClipSpec{Width: 64, Height: 64, FPS: 5, Duration: 400 * time.Millisecond, GOP: time.Second, Format: "mpegts", Bitrate: 20_000}
	tinyMPEG2 = fixture.ClipSpec{Width: 64, Height: 64, FPS: 5, Duration: 400 * time.Millisecond, GOP: time.Second, Format: "mpegts", Bitrate: 20_000, VideoCodec: "mpeg2video"}
)

// FuzzHandler pushes fuzzed bodies through the whole handler: it must never
// panic or answer 5xx for a bad body, and must accept exactly the bodies
// ProbeTS accepts.
func FuzzHandler(f *testing.F) {
	good := readFiles(f, []string{fixture.Clip(f, tinyClip)})[0]
	f.Add(good)
	f.Add(good[:len(good)-1])
	f.Add(good[:188*4])
	f.Add(readFiles(f, []string{fixture.Clip(f, tinyMPEG2)})[0])
	f.Add(audioOnlySegment(f))
	f.Add([]byte{})
	f.Add([]byte{0x47})
	f.Add(append([]byte{0x47}, make([]byte, 187)...))
	rec := newRecorder("s")
	h, err := New(testConfig(), rec.opener(), slog.New(slog.DiscardHandler), NewMetrics(prometheus.NewRegistry()))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		req := httptest.NewRequestWithContext(t.Context(), http.MethodPut, "/live/s/1.ts", strings.NewReader(string(body)))
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		_, probeErr := media.ProbeTS(body)
		switch {
		case w.Code >= 500:
			t.Fatalf("status %d for a pushed body: %s", w.Code, w.Body)
		case (w.Code == http.StatusOK) != (probeErr == nil):
			t.Fatalf("status %d but ProbeTS says %v", w.Code, probeErr)
		}
	})
}
