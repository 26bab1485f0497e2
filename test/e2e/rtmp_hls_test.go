package e2e

import (
	"math"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/castmesh/castmesh/pkg/media"
	"github.com/castmesh/castmesh/test/fixture"
	"github.com/castmesh/castmesh/test/harness"
)

// source is the input: 20 s of 1080p30 H.264 + AAC, 2 s GOPs.
var source = fixture.ClipSpec{Width: 1920, Height: 1080, FPS: 30, Duration: 20 * time.Second, GOP: 2 * time.Second, Audio: true}

// ladder is the default ladder's output for a 1080p source.
var ladder = []struct {
	name          string
	width, height int
}{{"720p", 1280, 720}, {"480p", 854, 480}, {"360p", 640, 360}}

// TestRTMPToHLS publishes 20 s of 1080p30 with ffmpeg over RTMP to a devnet
// and checks the HLS that comes out, live and as a recording.
func TestRTMPToHLS(t *testing.T) {
	d := startDevnet(t)
	clip := fixture.Clip(t, source)

	published := make(chan error, 1)
	go func() {
		out, err := runFFmpeg(t, 3*time.Minute, "-re", "-i", clip, "-c", "copy", "-f", "flv", d.RTMP+"/e2e-key")
		if err != nil {
			t.Logf("ffmpeg: %s", out)
		}
		published <- err
	}()
	st := harness.WaitStream(t, d.HTTP, 30*time.Second, func(s harness.Stream) bool { return s.Ingest == "rtmp" })
	if st.PlaybackID == "e2e-key" || strings.Contains(st.PlaybackURL, "e2e-key") {
		t.Fatalf("the playback URL reveals the stream key: %s", st.PlaybackURL)
	}
	// The master playlist appears while the stream is live.
	fixture.Eventually(t, 60*time.Second, func() bool { code, _ := harness.Get(t, st.PlaybackURL); return code == 200 })
	checkMaster(t, st.PlaybackURL)
	if err := <-published; err != nil {
		t.Fatalf("publisher failed: %v", err)
	}
	fixture.Eventually(t, 2*time.Minute, func() bool { return harness.StreamGone(t, d.HTTP, st.ID) })

	recording := resolve(st.PlaybackURL, "recording.m3u8")
	checkMaster(t, recording)
	var first []checkedSegment
	for _, r := range ladder {
		url := resolve(recording, r.name+"/recording.m3u8")
		segs := checkRecording(t, url, r.width, r.height)
		if len(segs) != 10 {
			t.Fatalf("%s: %d segments for 20 s of input, want 10", r.name, len(segs))
		}
		var total time.Duration
		for i, s := range segs {
			if s.uri != strconv.Itoa(i)+".ts" {
				t.Errorf("%s: segment %d is %s: missing or duplicated segments", r.name, i, s.uri)
			}
			if s.info.Video.Frames != 60 {
				t.Errorf("%s %s: %d frames, want 60", r.name, s.uri, s.info.Video.Frames)
			}
			total += s.dur
		}
		if math.Abs((total - 20*time.Second).Seconds()) > 0.1 {
			t.Errorf("%s: recording lasts %v, want 20s", r.name, total)
		}
		// Renditions line up: the same segment starts at the same PTS.
		if first == nil {
			first = segs
		}
		for i := range segs {
			if d := segs[i].info.Video.FirstPTS - first[i].info.Video.FirstPTS; d != 0 {
				t.Errorf("%s segment %d starts %v away from %s's", r.name, i, media.Duration(d), ladder[0].name)
			}
		}
		played := fixture.PlayHLS(t, url, time.Minute)
		if played.VideoFrames != 600 || played.AudioFrames < 900 {
			t.Errorf("%s: a real HLS reader played %d video frames (want 600) and %d audio frames", r.name,
				played.VideoFrames, played.AudioFrames)
		}
	}
	if dur := ffprobeDuration(t, recording); math.Abs(dur-20) > 0.2 {
		t.Errorf("ffprobe says the recording lasts %.3fs, want 20s", dur)
	}
}

// checkMaster checks the multivariant playlist lists the three renditions
// with their sizes and codecs.
func checkMaster(t *testing.T, url string) {
	t.Helper()
	m := master(t, url)
	if len(m.Variants) != len(ladder) {
		t.Fatalf("%s lists %d renditions, want 3", url, len(m.Variants))
	}
	for i, v := range m.Variants {
		want := ladder[i]
		if v.Resolution != strconv.Itoa(want.width)+"x"+strconv.Itoa(want.height) || v.Bandwidth <= 0 ||
			len(v.Codecs) != 2 || !strings.HasPrefix(v.Codecs[0], "avc1.") || v.Codecs[1] != "mp4a.40.2" {
			t.Errorf("%s variant %d: %s %d %v", url, i, v.Resolution, v.Bandwidth, v.Codecs)
		}
	}
}

func ffprobeDuration(t *testing.T, url string) float64 {
	t.Helper()
	fixture.RequireTool(t, "ffprobe")
	out, err := exec.CommandContext(t.Context(), "ffprobe", "-v", "error", "-show_entries", "format=duration",
		"-of", "csv=p=0", url).Output()
	if err != nil {
		t.Fatalf("ffprobe %s: %v", url, err)
	}
	d, err := strconv.ParseFloat(strings.TrimSpace(string(out)), 64)
	if err != nil {
		t.Fatalf("ffprobe said %q", out)
	}
	return d
}
