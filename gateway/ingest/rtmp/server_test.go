package rtmp_test

import (
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"go.uber.org/goleak"

	"github.com/castmesh/castmesh/gateway/ingest"
	"github.com/castmesh/castmesh/gateway/ingest/rtmp"
	"github.com/castmesh/castmesh/pkg/media"
	"github.com/castmesh/castmesh/test/fixture"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

var (
	clip10s = fixture.ClipSpec{Width: 640, Height: 360, FPS: 30, Duration: 10 * time.Second, GOP: 2 * time.Second, Audio: true, Format: "mp4"}
	clip4s  = fixture.ClipSpec{Width: 320, Height: 180, FPS: 30, Duration: 4 * time.Second, GOP: 2 * time.Second, Audio: true, Format: "mp4"}
)

// checkSegments checks a finished stream: n segments numbered from 0, each
// a valid TS starting on an IDR with audio, in a continuous timeline, and
// the stream closed exactly once.
func checkSegments(t testing.TB, st *fakeStream, n int, frames int64) {
	t.Helper()
	segs := st.segments()
	if len(segs) != n {
		t.Fatalf("stream %s: %d segments, want %d", st.id, len(segs), n)
	}
	for i, seg := range segs {
		info, err := media.ProbeTS(seg.Data)
		if err != nil {
			t.Fatalf("segment %d: %v", i, err)
		}
		if seg.Seq != int64(i) || !info.Video.StartsWithIDR || info.Audio == nil || info.Audio.Frames == 0 {
			t.Errorf("segment %d: seq %d, IDR %v, audio %+v", i, seg.Seq, info.Video.StartsWithIDR, info.Audio)
		}
		if frames > 0 && info.Video.Frames != frames {
			t.Errorf("segment %d: %d frames, want %d", i, info.Video.Frames, frames)
		}
		if i > 0 {
			want := segs[i-1].StartPTS + media.Ticks(segs[i-1].Duration)
			if d := seg.StartPTS - want; d < -3000 || d > 3000 {
				t.Errorf("segment %d starts at %d, previous ends at %d", i, seg.StartPTS, want)
			}
		}
	}
	if c := st.closeCount(); c != 1 {
		t.Errorf("stream closed %d times, want 1", c)
	}
}

func TestPublishFFmpeg(t *testing.T) {
	clip := fixture.Clip(t, clip10s)
	ss := newStreams()
	ts := startServer(t, ss.opener(), nil)
	p := ffmpegPublish(t, ts.url("live/good1?token=x"), "-i", clip, "-c", "copy")
	if err := p.wait(t); err != nil {
		t.Fatalf("ffmpeg: %v\n%s", err, p.out.String())
	}
	st := ss.waitOpened(t, "good1", time.Second)
	st.waitDone(t, 10*time.Second)
	checkSegments(t, st, 5, 60)
	ts.waitConnections(t, 0)
	if got := testutil.ToFloat64(ts.metrics.Publishes); got != 1 {
		t.Errorf("%v publishes counted", got)
	}
	if got := testutil.ToFloat64(ts.metrics.Segments); got != 5 {
		t.Errorf("%v segments counted", got)
	}
	if got := testutil.ToFloat64(ts.metrics.ReceivedBytes); got < 100_000 {
		t.Errorf("%v bytes counted", got)
	}
	recs := ts.logs.records(t, "rtmp connection closed")
	if len(recs) != 1 || recs[0]["stream"] != st.id || recs[0]["error"] != nil {
		t.Errorf("closing log lines %v, want one naming stream %s and no error", recs, st.id)
	}
}

// TestPublishGStreamer uses GStreamer's flvmux, which flags non-IDR frames
// as keyframes (x264enc with its default scene-cut at 720p): segments must
// still start only on IDRs.
func TestPublishGStreamer(t *testing.T) {
	fixture.RequireTool(t, "gst-launch-1.0")
	ss := newStreams()
	ts := startServer(t, ss.opener(), nil)
	p := startPublisher(t, time.Minute, "gst-launch-1.0", "-q",
		"videotestsrc", "num-buffers=120", "!", "video/x-raw,format=I420,width=1280,height=720,framerate=30/1",
		"!", "x264enc", "tune=zerolatency", "speed-preset=veryfast", "bitrate=3000", "key-int-max=60",
		"!", "video/x-h264,profile=high", "!", "h264parse", "!", "queue", "!", "flvmux", "name=mux", "streamable=true",
		"!", "rtmp2sink", "location="+ts.url("live/goodgst"),
		"audiotestsrc", "num-buffers=188", "!", "audioconvert", "!", "voaacenc", "bitrate=128000", "!", "aacparse", "!", "queue", "!", "mux.")
	// rtmp2sink may report "connection closed remotely" at EOS, after all
	// data is sent (the server closes on deleteStream), so its exit status
	// is not checked.
	_ = p.wait(t)
	st := ss.waitOpened(t, "goodgst", time.Second)
	st.waitDone(t, 10*time.Second)
	checkSegments(t, st, 2, 0)
	var frames int64
	for _, seg := range st.segments() {
		info, _ := media.ProbeTS(seg.Data)
		frames += info.Video.Frames
	}
	if frames != 120 {
		t.Errorf("%d frames in all, want 120", frames)
	}
}

func TestPublishRejected(t *testing.T) {
	fixture.RequireTool(t, "ffmpeg")
	tests := []struct {
		name   string
		path   string
		refuse error // what the Opener returns for a good key
		reason string
	}{
		{"wrong key", "live/bad", nil, rtmp.ReasonUnauthorized},
		{"wrong app", "other/good", nil, rtmp.ReasonWrongApp},
		{"gateway full", "live/good", ingest.ErrTooManyStreams, rtmp.ReasonTooManyStreams},
		{"key in use", "live/good", ingest.ErrKeyInUse, rtmp.ReasonKeyInUse},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ss := newStreams()
			ss.refuse = tt.refuse
			ts := startServer(t, ss.opener(), nil)
			start := time.Now()
			p := ffmpegPublish(t, ts.url(tt.path), "-re", "-f", "lavfi", "-i", "testsrc2=s=320x180:r=30:d=30", "-c:v", "libx264")
			if err := p.wait(t); err == nil {
				t.Fatal("ffmpeg published")
			}
			if took := time.Since(start); took > 5*time.Second {
				t.Errorf("ffmpeg took %v to give up", took)
			}
			if ss.count() != 0 {
				t.Error("a stream was created")
			}
			ts.waitConnections(t, 0)
			if got := ts.rejected(tt.reason); got != 1 {
				t.Errorf("rejected{%s} = %v, want 1", tt.reason, got)
			}
		})
	}
}
