package media

import (
	"testing"
	"time"
)

func TestValidateLadder(t *testing.T) {
	ok := DefaultLadder()
	if err := ValidateLadder(ok); err != nil {
		t.Fatal(err)
	}
	bad := []struct {
		name   string
		ladder []Profile
	}{
		{"empty", nil},
		{"bad name", []Profile{{Name: "a b", Width: 2, Height: 2, Bitrate: 1e5}}},
		{"odd size", []Profile{{Name: "a", Width: 3, Height: 2, Bitrate: 1e5}}},
		{"zero bitrate", []Profile{{Name: "a", Width: 2, Height: 2}}},
		{"bad codec", []Profile{{Name: "a", Width: 2, Height: 2, Bitrate: 1e5, Codec: "mpeg2"}}},
		{"duplicate", []Profile{ok[0], ok[0]}},
		{"fps", []Profile{{Name: "a", Width: 2, Height: 2, Bitrate: 1e5, FPS: -1}}},
	}
	for _, tt := range bad {
		if err := ValidateLadder(tt.ladder); err == nil {
			t.Errorf("%s: accepted", tt.name)
		}
	}
}

func TestCodecContainer(t *testing.T) {
	for c, want := range map[VideoCodec]Container{H264: MPEGTS, HEVC: MPEGTS, VP9: FMP4, AV1: FMP4} {
		if got := c.Container(); got != want {
			t.Errorf("%s: %s, want %s", c, got, want)
		}
	}
}

func TestTicksRoundTrip(t *testing.T) {
	for _, d := range []time.Duration{0, time.Second / 30, 2 * time.Second, 40 * time.Hour, 49 * 24 * time.Hour} {
		if got := Duration(Ticks(d)); got < d-time.Microsecond*12 || got > d {
			t.Errorf("%v → %d ticks → %v", d, Ticks(d), got)
		}
	}
	if Ticks(40*time.Hour) != 40*3600*TimeBase {
		t.Fatal("overflow past 28 hours")
	}
}
