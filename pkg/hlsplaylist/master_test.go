package hlsplaylist

import (
	"errors"
	"math"
	"testing"
)

func TestMaster(t *testing.T) {
	cases := []struct {
		name string
		in   []Variant
		want string
	}{
		{
			name: "ladder",
			in: []Variant{
				{URI: "720p/index.m3u8", Bandwidth: 3_200_000, AverageBandwidth: 2_900_000, Width: 1280, Height: 720, Codecs: "avc1.64001f,mp4a.40.2"},
				{URI: "360p/index.m3u8", Bandwidth: 900_000, Width: 640, Height: 360, Codecs: "avc1.64001e"},
			},
			want: "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-INDEPENDENT-SEGMENTS\n" +
				"#EXT-X-STREAM-INF:BANDWIDTH=3200000,AVERAGE-BANDWIDTH=2900000,RESOLUTION=1280x720,CODECS=\"avc1.64001f,mp4a.40.2\"\n720p/index.m3u8\n" +
				"#EXT-X-STREAM-INF:BANDWIDTH=900000,RESOLUTION=640x360,CODECS=\"avc1.64001e\"\n360p/index.m3u8\n",
		},
		{
			name: "frame rate, no resolution or codecs",
			in:   []Variant{{URI: "a.m3u8", Bandwidth: 1, FrameRate: 29.97}},
			want: "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-INDEPENDENT-SEGMENTS\n" +
				"#EXT-X-STREAM-INF:BANDWIDTH=1,FRAME-RATE=29.970\na.m3u8\n",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Master(c.in)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != c.want {
				t.Fatalf("got:\n%s\nwant:\n%s", got, c.want)
			}
		})
	}
}

func TestMasterErrors(t *testing.T) {
	ok := Variant{URI: "a.m3u8", Bandwidth: 1000}
	with := func(f func(v *Variant)) []Variant {
		v := ok
		f(&v)
		return []Variant{ok, v}
	}
	cases := []struct {
		name string
		in   []Variant
		want error
	}{
		{"none", nil, ErrNoVariants},
		{"zero bandwidth", with(func(v *Variant) { v.Bandwidth = 0 }), ErrBadAttribute},
		{"bandwidth over 32 bits", with(func(v *Variant) { v.Bandwidth = math.MaxInt32 + 1 }), ErrBadAttribute},
		{"negative average", with(func(v *Variant) { v.AverageBandwidth = -1 }), ErrBadAttribute},
		{"half a resolution", with(func(v *Variant) { v.Width = 640 }), ErrBadAttribute},
		{"negative resolution", with(func(v *Variant) { v.Width, v.Height = -640, -360 }), ErrBadAttribute},
		{"nan frame rate", with(func(v *Variant) { v.FrameRate = math.NaN() }), ErrBadAttribute},
		{"frame rate rounding to zero", with(func(v *Variant) { v.FrameRate = 0.0001 }), ErrBadAttribute},
		{"codecs with quote", with(func(v *Variant) { v.Codecs = `avc1",x` }), ErrBadAttribute},
		{"codecs with newline", with(func(v *Variant) { v.Codecs = "avc1\n" }), ErrBadAttribute},
		{"uri with newline", with(func(v *Variant) { v.URI = "a\nb.m3u8" }), ErrBadURI},
		{"empty uri", with(func(v *Variant) { v.URI = "" }), ErrBadURI},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Master(c.in)
			if !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
			if got != nil {
				t.Fatalf("wrote a playlist despite the error:\n%s", got)
			}
		})
	}
}
