package httppush

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/castmesh/castmesh/gateway/ingest"
	"github.com/castmesh/castmesh/pkg/media"
)

// badCase is a push that must be refused.
type badCase struct {
	name   string
	method string
	path   string
	header http.Header
	body   []byte
	status int
	code   string
	// opens is whether the stream may be opened (errors after the probe).
	opens bool
}

func badCases(t testing.TB) []badCase {
	segs := goodSegments(t)
	good := segs[0]
	hdr := func(kv ...string) http.Header {
		h := http.Header{}
		for i := 0; i < len(kv); i += 2 {
			h.Set(kv[i], kv[i+1])
		}
		return h
	}
	return []badCase{
		{"non-TS body", "PUT", "/live/s/1.ts", nil, []byte(`{"not":"video"}`), 400, "not_mpegts", false},
		{"empty body", "PUT", "/live/s/1.ts", nil, nil, 400, "not_mpegts", false},
		{"lost sync", "PUT", "/live/s/1.ts", nil, append(append([]byte{}, good[:188]...), make([]byte, 188)...), 400, "not_mpegts", false},
		{"truncated TS", "PUT", "/live/s/1.ts", nil, good[:len(good)-100], 400, "truncated", false},
		{"MPEG-2 video", "PUT", "/live/s/1.ts", nil, mpeg2Segment(t), 422, "unsupported_codec", false},
		{"no video", "PUT", "/live/s/1.ts", nil, audioOnlySegment(t), 422, "no_video", false},
		{"seq not a number", "PUT", "/live/s/abc.ts", nil, good, 400, "bad_seq", false},
		{"negative seq", "PUT", "/live/s/-1.ts", nil, good, 400, "bad_seq", false},
		{"seq too long", "PUT", "/live/s/1234567890123456789.ts", nil, good, 400, "bad_seq", false},
		{"mp4 extension", "PUT", "/live/s/1.mp4", nil, good, 400, "bad_extension", false},
		{"bad stream name", "PUT", "/live/a.b/1.ts", nil, good, 400, "bad_stream_name", false},
		{"no segment in path", "PUT", "/live/s", nil, good, 404, "not_found", false},
		{"path too deep", "PUT", "/live/s/x/1.ts", nil, good, 404, "not_found", false},
		{"GET", "GET", "/live/s/1.ts", nil, nil, 405, "method_not_allowed", false},
		{"DELETE", "DELETE", "/live/s/1.ts", nil, nil, 405, "method_not_allowed", false},
		{"duration not a number", "PUT", "/live/s/1.ts", hdr("Content-Duration", "2s"), good, 400, "bad_duration", false},
		{"duration fractional", "PUT", "/live/s/1.ts", hdr("Content-Duration", "2000.5"), good, 400, "bad_duration", false},
		{"duration zero", "PUT", "/live/s/1.ts", hdr("Content-Duration", "0"), good, 400, "bad_duration", false},
		{"duration negative", "PUT", "/live/s/1.ts", hdr("Content-Duration", "-2000"), good, 400, "bad_duration", false},
		{"duration over max", "PUT", "/live/s/1.ts", hdr("Content-Duration", "30001"), good, 400, "bad_duration", false},
		{"resolution without x", "PUT", "/live/s/1.ts", hdr("Content-Resolution", "640"), good, 400, "bad_resolution", false},
		{"resolution zero", "PUT", "/live/s/1.ts", hdr("Content-Resolution", "0x360"), good, 400, "bad_resolution", false},
		{"resolution letters", "PUT", "/live/s/1.ts", hdr("Content-Resolution", "wxh"), good, 400, "bad_resolution", false},
		{"resolution huge", "PUT", "/live/s/1.ts", hdr("Content-Resolution", "99999x360"), good, 400, "bad_resolution", false},
		{"slicing", "PUT", "/live/s/1.ts", hdr("Content-Slice-From", "100"), good, 400, "unsupported_header", false},
		{"body too large", "PUT", "/live/s/1.ts", nil, make([]byte, testMaxBody+1), 413, "body_too_large", false},
		{"unauthorized key", "PUT", "/live/stranger/1.ts", nil, good, 403, "unauthorized", true},
		{"gateway full", "PUT", "/live/full/1.ts", nil, good, 503, "too_many_streams", true},
		{"stream ended", "PUT", "/live/ended/1.ts", nil, good, 409, "stream_ended", true},
		{"key in use", "PUT", "/live/busy/1.ts", nil, good, 409, "key_in_use", true},
		{"opener broken", "PUT", "/live/broken/1.ts", nil, good, 500, "open_failed", true},
		{"transcode input error", "PUT", "/live/badinput/1.ts", nil, good, 422, "invalid_input", true},
		{"no orchestrator", "PUT", "/live/noorch/1.ts", nil, good, 503, "no_orchestrator", true},
		{"transcode timeout", "PUT", "/live/slow/1.ts", nil, good, 503, "transcode_timeout", true},
		{"transcode failed", "PUT", "/live/flaky/1.ts", nil, good, 502, "transcode_failed", true},
		{"bad rendition name", "PUT", "/live/weird/1.ts", nil, good, 502, "transcode_failed", true},
	}
}

// testMaxBody is small enough to test the limit, big enough for a segment.
const testMaxBody = 4 << 20

// badRecorder admits "s" and "good" and fails the rest in named ways.
func badRecorder() (*recorder, ingest.Opener) {
	rec := newRecorder("s", "good", "badinput", "noorch", "slow", "flaky")
	rec.fail["badinput"] = fmt.Errorf("worker: %w", media.ErrNoVideo)
	rec.fail["noorch"] = fmt.Errorf("selection: %w", ingest.ErrNoOrchestrator)
	rec.fail["slow"] = fmt.Errorf("segment 1: %w", context.DeadlineExceeded)
	rec.fail["flaky"] = errors.New("orchestrator hung up")
	openErrs := map[string]error{
		"full": ingest.ErrTooManyStreams, "ended": ingest.ErrStreamEnded,
		"busy": ingest.ErrKeyInUse, "broken": errors.New("database down"),
	}
	weird := &fakeStream{id: "w", playbackID: "w", done: make(chan struct{})}
	weird.transcode = func(_ context.Context, s media.Segment) ([]media.Rendition, error) {
		rs := ladderOf(s, false)
		rs[0].Profile.Name = "a\r\nSet-Cookie: x"
		return rs, nil
	}
	inner := rec.opener()
	return rec, &fakeOpener{open: func(ctx context.Context, req ingest.OpenRequest) (ingest.Stream, error) {
		if err := openErrs[req.Key]; err != nil {
			return nil, err
		}
		if req.Key == "weird" {
			return weird, nil
		}
		return inner.Open(ctx, req)
	}}
}

func testConfig() Config {
	cfg := DefaultConfig()
	cfg.MaxBody = testMaxBody
	return cfg
}

func TestBadPushes(t *testing.T) {
	cases := badCases(t)
	rec, opener := badRecorder()
	url, _ := newTestServer(t, testConfig(), opener)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := len(rec.opened())
			r, err := send(t.Context(), c.method, url+c.path, c.body, c.header)
			if err != nil {
				t.Fatal(err)
			}
			checkBad(t, c, r)
			if opened := len(rec.opened()) > before; opened && !c.opens {
				t.Fatal("a stream was opened for a push refused before opening")
			}
		})
	}
	if n := len(rec.segments["id-s"]); n != 0 {
		t.Fatalf("%d bad segments reached the stream", n)
	}
	if _, ok := rec.segments["id-stranger"]; ok {
		t.Fatal("the unauthorized key got a stream")
	}
}

func checkBad(t testing.TB, c badCase, r response) {
	t.Helper()
	if r.status != c.status || errorCode(r.body) != c.code || r.header.Get("Content-Type") != "application/json" {
		t.Errorf("%s: status %d body %s, want %d %s", c.name, r.status, r.body, c.status, c.code)
	}
	if c.status == http.StatusMethodNotAllowed && r.header.Get("Allow") != "PUT, POST" {
		t.Errorf("%s: Allow %q", c.name, r.header.Get("Allow"))
	}
	if c.status == http.StatusServiceUnavailable && r.header.Get("Retry-After") == "" {
		t.Errorf("%s: no Retry-After", c.name)
	}
}

// TestHealthyStreamUnaffected pushes a healthy stream while every bad push
// hammers the same gateway, several at a time.
func TestHealthyStreamUnaffected(t *testing.T) {
	segs := goodSegments(t)
	cases := badCases(t)
	rec, opener := badRecorder()
	url, _ := newTestServer(t, testConfig(), opener)
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()

	var wg sync.WaitGroup
	for w := range 3 {
		wg.Go(func() {
			for i := w; i < len(cases); i += 3 {
				c := cases[i]
				r, err := send(ctx, c.method, url+c.path, c.body, c.header)
				if err != nil {
					t.Errorf("%s: %v", c.name, err)
					continue
				}
				checkBad(t, c, r)
			}
		})
	}
	for i, data := range segs {
		r, err := send(ctx, http.MethodPut, fmt.Sprintf("%s/live/good/%d.ts", url, i), data, multipartAccept)
		if err != nil {
			t.Fatal(err)
		}
		checkLadder(t, r, i, data)
	}
	wg.Wait()
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if n := len(rec.segments["id-good"]); n != len(segs) {
		t.Fatalf("healthy stream got %d segments, want %d", n, len(segs))
	}
}

// TestPublisherHangsUp: a publisher that goes away mid-transcode ends the
// request cleanly, and the transcode sees the cancellation.
func TestPublisherHangsUp(t *testing.T) {
	seg := goodSegments(t)[0]
	entered, canceled := make(chan struct{}), make(chan struct{})
	st := &fakeStream{id: "s", playbackID: "p", done: make(chan struct{})}
	st.transcode = func(ctx context.Context, _ media.Segment) ([]media.Rendition, error) {
		close(entered)
		<-ctx.Done()
		close(canceled)
		return nil, ctx.Err()
	}
	opener := &fakeOpener{open: func(context.Context, ingest.OpenRequest) (ingest.Stream, error) { return st, nil }}
	url, m := newTestServer(t, DefaultConfig(), opener)
	ctx, cancel := context.WithCancel(t.Context())
	go func() {
		<-entered
		cancel()
	}()
	if _, err := send(ctx, http.MethodPut, url+"/live/s/0.ts", seg, nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want canceled", err)
	}
	select {
	case <-canceled:
	case <-time.After(10 * time.Second):
		t.Fatal("transcode context not canceled")
	}
	waitForCount(t, m, "canceled")
}

// TestBodyLimitWithoutLength: a chunked body is cut off at MaxBody too.
func TestBodyLimitWithoutLength(t *testing.T) {
	rec, opener := badRecorder()
	url, _ := newTestServer(t, testConfig(), opener)
	body := io.MultiReader(bytes.NewReader(make([]byte, testMaxBody)), strings.NewReader("x"))
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPut, url+"/live/s/1.ts", body)
	if err != nil {
		t.Fatal(err)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = res.Body.Close() }()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusRequestEntityTooLarge || errorCode(b) != "body_too_large" || len(rec.opened()) != 0 {
		t.Fatalf("status %d body %s", res.StatusCode, b)
	}
}
