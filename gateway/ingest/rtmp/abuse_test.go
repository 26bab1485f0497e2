package rtmp_test

import (
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"strings"
	"testing"
	"time"

	gortmp "github.com/yutopp/go-rtmp"
	"github.com/yutopp/go-rtmp/message"
	"go.uber.org/goleak"

	"github.com/castmesh/castmesh/gateway/ingest/rtmp"
	"github.com/castmesh/castmesh/test/fixture"
)

// TestGarbageConnections sends what is not RTMP while a healthy publish
// runs: each bad connection is closed, the publish keeps going.
func TestGarbageConnections(t *testing.T) {
	clip := fixture.Clip(t, clip4s)
	ss := newStreams()
	ts := startServer(t, ss.opener(), func(c *rtmp.Config) { c.HandshakeTimeout = time.Second })
	p := ffmpegPublish(t, ts.url("live/goodhealthy"), "-re", "-i", clip, "-c", "copy")
	st := ss.waitOpened(t, "goodhealthy", 10*time.Second)

	rng := rand.New(rand.NewPCG(1, 2))
	noise := func(first byte) []byte {
		b := make([]byte, 4096)
		for i := range b {
			b[i] = byte(rng.UintN(256))
		}
		b[0] = first
		return b
	}
	tests := []struct {
		name string
		send []byte
	}{
		{"random bytes", noise(0x9c)},
		{"random after the RTMP version", noise(3)},
		{"http request", []byte("GET /live/x HTTP/1.1\r\nHost: example\r\n\r\n")},
		{"tls client hello", []byte{0x16, 0x03, 0x01, 0x00, 0x05, 0x01, 0, 0, 1, 0}},
		{"nothing", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			nc := dial(t, ts)
			if _, err := nc.Write(tt.send); err != nil {
				t.Fatal(err)
			}
			_ = nc.SetReadDeadline(time.Now().Add(5 * time.Second))
			_, err := io.Copy(io.Discard, nc) // until the server closes
			if ne, ok := errors.AsType[net.Error](err); ok && ne.Timeout() {
				t.Fatal("the server kept the connection open")
			}
		})
	}
	if err := p.wait(t); err != nil {
		t.Fatalf("healthy ffmpeg: %v\n%s", err, p.out.String())
	}
	st.waitDone(t, 10*time.Second)
	checkSegments(t, st, 2, 60)
	if got := ts.rejected(rtmp.ReasonNotRTMP); got != 3 {
		t.Errorf("rejected{not_rtmp} = %v, want 3", got)
	}
}

// TestUnsupportedCodecs publishes Sorenson video and MP3 audio next to a
// healthy stream: each is refused with its codec named, the healthy one
// is unaffected.
func TestUnsupportedCodecs(t *testing.T) {
	clip := fixture.Clip(t, clip4s)
	ss := newStreams()
	ts := startServer(t, ss.opener(), nil)
	healthy := ffmpegPublish(t, ts.url("live/goodhealthy"), "-re", "-i", clip, "-c", "copy")
	ss.waitOpened(t, "goodhealthy", 10*time.Second)

	src := []string{"-re", "-f", "lavfi", "-i", "testsrc2=s=320x180:r=30:d=30", "-f", "lavfi", "-i", "sine=sample_rate=44100:d=30"}
	tests := []struct {
		key, codec string
		args       []string
	}{
		{"goodflv1", "flv1", []string{"-c:v", "flv1", "-c:a", "aac"}},
		{"goodmp3", "mp3", []string{"-c:v", "libx264", "-c:a", "libmp3lame"}},
	}
	for _, tt := range tests {
		p := ffmpegPublish(t, ts.url("live/"+tt.key), append(append([]string{}, src...), tt.args...)...)
		if err := p.wait(t); err == nil {
			t.Errorf("%s: ffmpeg published", tt.codec)
		}
		st := ss.waitOpened(t, tt.key, time.Second)
		st.waitDone(t, 5*time.Second)
		if n := len(st.segments()); n != 0 {
			t.Errorf("%s: %d segments", tt.codec, n)
		}
		var found int
		for _, rec := range ts.logs.records(t, "rtmp connection rejected") {
			if rec["stream"] == st.id {
				found++
				if rec["reason"] != rtmp.ReasonUnsupportedCodec || !strings.Contains(fmt.Sprint(rec["error"]), "codec "+tt.codec) {
					t.Errorf("%s: logged %v", tt.codec, rec)
				}
			}
		}
		if found != 1 {
			t.Errorf("%s: %d log lines for stream %s, want 1", tt.codec, found, st.id)
		}
	}
	if got := ts.rejected(rtmp.ReasonUnsupportedCodec); got != 2 {
		t.Errorf("rejected{unsupported_codec} = %v, want 2", got)
	}
	if err := healthy.wait(t); err != nil {
		t.Fatalf("healthy ffmpeg: %v\n%s", err, healthy.out.String())
	}
	st := ss.get("goodhealthy")
	st.waitDone(t, 10*time.Second)
	checkSegments(t, st, 2, 60)
}

// TestStreamEndedByGateway ends the stream from the gateway's side: the
// server closes the publisher's connection.
func TestStreamEndedByGateway(t *testing.T) {
	clip := fixture.Clip(t, clip4s)
	ss := newStreams()
	ts := startServer(t, ss.opener(), nil)
	p := ffmpegPublish(t, ts.url("live/goodremoved"), "-re", "-i", clip, "-c", "copy")
	st := ss.waitOpened(t, "goodremoved", 10*time.Second)
	st.end()
	start := time.Now()
	if err := p.wait(t); err == nil {
		t.Error("ffmpeg finished as if nothing happened")
	}
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("publisher cut off after %v", took)
	}
	ts.waitConnections(t, 0)
	if c := st.closeCount(); c != 1 {
		t.Errorf("stream closed %d times, want 1", c)
	}
}

// TestMaxConns refuses connections past MaxConns.
func TestMaxConns(t *testing.T) {
	ts := startServer(t, newStreams().opener(), func(c *rtmp.Config) { c.MaxConns = 1 })
	dial(t, ts)
	ts.waitConnections(t, 1)
	second := dial(t, ts)
	_ = second.SetReadDeadline(time.Now().Add(5 * time.Second))
	if n, err := second.Read(make([]byte, 1)); n != 0 || err == nil {
		t.Fatalf("second connection read %d, %v; want it closed", n, err)
	}
	if got := ts.rejected(rtmp.ReasonTooManyConns); got != 1 {
		t.Errorf("rejected{too_many_connections} = %v", got)
	}
}

// TestShutdown cancels Run during a publish: everything closes, Run
// returns, no goroutine is left.
func TestShutdown(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	clip := fixture.Clip(t, clip10s)
	ss := newStreams()
	ts := startServer(t, ss.opener(), nil)
	p := ffmpegPublish(t, ts.url("live/goodlong"), "-re", "-i", clip, "-c", "copy")
	st := ss.waitOpened(t, "goodlong", 10*time.Second)
	start := time.Now()
	ts.stop(t)
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("Run took %v to return", took)
	}
	st.waitDone(t, time.Second)
	if err := p.wait(t); err == nil {
		t.Error("ffmpeg finished as if nothing happened")
	}
	if nc, err := (&net.Dialer{}).DialContext(t.Context(), "tcp", ts.srv.Addr().String()); err == nil {
		_ = nc.Close()
		t.Error("still listening")
	}
}

// dial connects to the server; the connection is closed when the test ends.
func dial(t *testing.T, ts *testServer) net.Conn {
	t.Helper()
	nc, err := (&net.Dialer{}).DialContext(t.Context(), "tcp", ts.srv.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = nc.Close() })
	return nc
}

// TestIdleTimeout publishes and then sends nothing: the server gives up
// after IdleTimeout and closes the stream.
func TestIdleTimeout(t *testing.T) {
	ss := newStreams()
	ts := startServer(t, ss.opener(), func(c *rtmp.Config) { c.IdleTimeout = time.Second })
	cc, err := gortmp.Dial("rtmp", ts.srv.Addr().String(), &gortmp.ConnConfig{})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cc.Close() }()
	if err := cc.Connect(&message.NetConnectionConnect{Command: message.NetConnectionConnectCommand{App: "live"}}); err != nil {
		t.Fatal(err)
	}
	stream, err := cc.CreateStream(nil, gortmp.DefaultChunkSize)
	if err != nil {
		t.Fatal(err)
	}
	if err := stream.Publish(&message.NetStreamPublish{PublishingName: "goodidle", PublishingType: "live"}); err != nil {
		t.Fatal(err)
	}
	st := ss.waitOpened(t, "goodidle", 5*time.Second)
	start := time.Now()
	st.waitDone(t, 5*time.Second)
	if took := time.Since(start); took < 500*time.Millisecond {
		t.Errorf("closed after %v, before the idle timeout", took)
	}
	ts.waitConnections(t, 0)
	recs := ts.logs.records(t, "rtmp connection closed")
	if len(recs) != 1 || !strings.Contains(fmt.Sprint(recs[0]["error"]), "timed out") {
		t.Errorf("closing log lines %v, want a timeout", recs)
	}
}
