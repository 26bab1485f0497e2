package media_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/castmesh/castmesh/pkg/media"
	"github.com/castmesh/castmesh/test/fixture"
)

func TestProbeFile(t *testing.T) {
	fixture.RequireTool(t, "ffprobe")
	clip := fixture.Clip(t, fixture.ClipSpec{Width: 320, Height: 240, FPS: 25, Duration: 3 * time.Second, GOP: time.Second, Audio: true, Format: "mp4"})
	info, err := media.ProbeFile(t.Context(), "", clip)
	if err != nil {
		t.Fatal(err)
	}
	v := info.Video
	if v == nil || v.Codec != "h264" || v.Width != 320 || v.Height != 240 || v.FPS != 25 || v.Frames != 75 || v.PixFmt != "yuv420p" {
		t.Fatalf("video %+v", v)
	}
	if info.Audio == nil || info.Audio.Codec != "aac" || info.Duration < 2900*time.Millisecond || info.Duration > 3100*time.Millisecond {
		t.Fatalf("audio %+v duration %s", info.Audio, info.Duration)
	}
	data, err := os.ReadFile(clip)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for name, bad := range map[string][]byte{
		"cut":   data[:len(data)/2],
		"text":  []byte("not a video at all\n"),
		"empty": nil,
	} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, bad, 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := media.ProbeFile(t.Context(), "", path); !errors.Is(err, media.ErrInvalidInput) {
			t.Errorf("%s: %v, want ErrInvalidInput", name, err)
		}
	}
}

func FuzzParseFFprobe(f *testing.F) {
	f.Add([]byte(`{"format":{"format_name":"mov","duration":"8.0","bit_rate":"300"},"streams":[` +
		`{"codec_type":"video","codec_name":"h264","width":640,"height":360,"r_frame_rate":"30000/1001","pix_fmt":"yuv420p","nb_read_packets":"240"},` +
		`{"codec_type":"audio","codec_name":"aac","sample_rate":"48000","channels":2}]}`))
	f.Add([]byte(`{"format":{"duration":"1e400"},"streams":[{"codec_type":"video","r_frame_rate":"1/0"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		info, err := media.ParseFFprobe(data)
		if err != nil {
			return
		}
		if info.Duration < 0 || info.BitRate < 0 || info.Video != nil && (info.Video.FPS < 0 || info.Video.Frames < 0) {
			t.Fatalf("negative facts: %+v %+v", info, info.Video)
		}
	})
}
