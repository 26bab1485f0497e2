package transcode_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/castmesh/castmesh/pkg/media"
	"github.com/castmesh/castmesh/worker/transcode"
)

// TestOffGridTimestampsKept transcodes a segment whose timestamps sit
// between the points of a 1/30 s grid, as FLV's millisecond clock and
// looping publishers make them: every rendition must keep them exactly, or
// the last frame of one segment and the first of the next collide.
func TestOffGridTimestampsKept(t *testing.T) {
	e := newEnv(t, func(c *transcode.Config) { c.Preset = "ultrafast" })
	in := filepath.Join(t.TempDir(), "in.ts")
	if err := os.WriteFile(in, segment(t, clip360), 0o600); err != nil {
		t.Fatal(err)
	}
	shifted := filepath.Join(t.TempDir(), "shifted.ts")
	// Half a frame at 30 fps, so rounding to the frame grid would show.
	cmd := exec.CommandContext(t.Context(), "ffmpeg", "-hide_banner", "-nostdin", "-v", "error", "-copyts", "-i", in,
		"-c", "copy", "-output_ts_offset", "0.0165", "-muxdelay", "0", "-f", "mpegts", shifted)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg: %v\n%s", err, out)
	}
	input, err := os.ReadFile(shifted)
	if err != nil {
		t.Fatal(err)
	}
	src, err := media.ProbeTS(input)
	if err != nil {
		t.Fatal(err)
	}
	if src.Video.FirstPTS%3000 == 0 {
		t.Fatalf("the shifted segment starts on the frame grid (PTS %d)", src.Video.FirstPTS)
	}
	res, err := e.transcode(t, input, media.DefaultLadder()[2:])
	if err != nil {
		t.Fatal(err)
	}
	checkTSRendition(t, res.Renditions[0], src)
}
