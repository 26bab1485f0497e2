package transcode_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/castmesh/castmesh/pkg/media"
	"github.com/castmesh/castmesh/worker/transcode"
)

// TestAudioEncoded feeds a segment with MP3 audio: every rendition, TS and
// fMP4, must carry it re-encoded as AAC.
func TestAudioEncoded(t *testing.T) {
	e := newEnv(t, func(c *transcode.Config) { c.Preset = "ultrafast" })
	path := filepath.Join(t.TempDir(), "mp3.ts")
	cmd := exec.CommandContext(t.Context(), "ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error",
		"-f", "lavfi", "-i", "testsrc2=s=320x180:r=30:d=1", "-f", "lavfi", "-i", "sine=d=1:sample_rate=44100",
		"-c:v", "libx264", "-preset", "ultrafast", "-g", "30", "-c:a", "libmp3lame", "-b:a", "64k", "-f", "mpegts", path)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	input, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if info, err := media.ProbeTS(input); err != nil || info.Audio == nil || info.Audio.Codec != "mp3" {
		t.Fatalf("source %+v %v", info, err)
	}
	profiles := []media.Profile{smallLadder[0], {Name: "vp9", Width: 320, Height: 180, Bitrate: 200_000, Codec: media.VP9}}
	res, err := e.transcode(t, input, profiles)
	if err != nil {
		t.Fatal(err)
	}
	ts, err := media.ProbeTS(res.Renditions[0].Data)
	if err != nil || ts.Audio == nil || ts.Audio.Codec != "aac" || !strings.HasSuffix(res.Renditions[0].Codecs, ",mp4a.40.2") {
		t.Errorf("TS rendition audio %+v codecs %q %v", ts.Audio, res.Renditions[0].Codecs, err)
	}
	mp4, err := media.ProbeFMP4(res.Renditions[1].Init, res.Renditions[1].Data)
	if err != nil || mp4.Audio == nil || mp4.Audio.Codec != "aac" || mp4.Audio.Frames == 0 {
		t.Errorf("fMP4 rendition audio %+v %v", mp4.Audio, err)
	}
}
