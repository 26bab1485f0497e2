package media

import "testing"

func TestOutputSize(t *testing.T) {
	p := func(w, h int) Profile { return Profile{Width: w, Height: h} }
	tests := []struct {
		name         string
		srcW, srcH   int
		profile      Profile
		wantW, wantH int
	}{
		{"1080p to 720p", 1920, 1080, p(1280, 720), 1280, 720},
		{"1080p to 480p rounds to even", 1920, 1080, p(854, 480), 854, 480},
		{"1080p to 360p", 1920, 1080, p(640, 360), 640, 360},
		{"360p source is not upscaled", 640, 360, p(1280, 720), 640, 360},
		{"360p source in the 480p box", 640, 360, p(854, 480), 640, 360},
		{"4:3 source in a 16:9 box keeps 4:3", 640, 480, p(640, 360), 480, 360},
		{"4:3 source smaller than the box", 640, 480, p(1280, 720), 640, 480},
		{"portrait source", 1080, 1920, p(1280, 720), 406, 720},
		{"odd source side is not exceeded", 641, 361, p(1280, 720), 640, 360},
		{"tiny box", 1920, 1080, p(2, 2), 2, 2},
		{"unknown source", 0, 0, p(640, 360), 640, 360},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, h := OutputSize(tt.srcW, tt.srcH, tt.profile)
			if w != tt.wantW || h != tt.wantH {
				t.Fatalf("%dx%d in %dx%d: got %dx%d, want %dx%d",
					tt.srcW, tt.srcH, tt.profile.Width, tt.profile.Height, w, h, tt.wantW, tt.wantH)
			}
		})
	}
}

func TestPixels(t *testing.T) {
	src := VideoInfo{Width: 1920, Height: 1080, Frames: 60}
	if got, want := EstimatePixels(src, DefaultLadder()), int64((1280*720+854*480+640*360)*60); got != want {
		t.Fatalf("estimate %d, want %d", got, want)
	}
	rs := []Rendition{{Width: 2, Height: 2, Frames: 3}, {Width: 4, Height: 2, Frames: 1}}
	if got := Pixels(rs); got != 20 {
		t.Fatalf("pixels %d", got)
	}
}

// Issue #12 finding 13: a ladder's price ignored the codec, so an AV1
// rung, three times an H.264 one's work, was billed as H.264. Billed
// pixels now weigh each rung's codec, on both sides of a payment.
func TestLadderPriceWeighsCodec(t *testing.T) {
	src := VideoInfo{Width: 1280, Height: 720, Frames: 60}
	rung := func(c VideoCodec) Profile { return Profile{Name: "r", Width: 1280, Height: 720, Codec: c} }
	base := int64(1280 * 720 * 60)
	for _, tc := range []struct {
		codec VideoCodec
		want  int64
	}{{"", base}, {H264, base}, {HEVC, 2 * base}, {VP9, 2 * base}, {AV1, 3 * base}} {
		if got := EstimatePixels(src, []Profile{rung(tc.codec)}); got != tc.want {
			t.Errorf("%q: estimate %d, want %d", tc.codec, got, tc.want)
		}
		r := Rendition{Profile: rung(tc.codec), Width: 1280, Height: 720, Frames: 60}
		if got := Pixels([]Rendition{r}); got != tc.want {
			t.Errorf("%q: billed %d, want %d", tc.codec, got, tc.want)
		}
	}
}
