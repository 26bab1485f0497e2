package classical

import (
	"strings"
	"testing"
	"time"

	"github.com/castmesh/castmesh/ai/pipeline"
)

// Each model implements its pipeline's interface.
var (
	_ pipeline.TextToImageModel      = (*SeededNoise)(nil)
	_ pipeline.ImageToImageModel     = (*Stylize)(nil)
	_ pipeline.ImageToVideoModel     = (*KenBurns)(nil)
	_ pipeline.UpscaleModel          = (*Lanczos)(nil)
	_ pipeline.SegmentAnything2Model = (*RegionGrow)(nil)
)

func TestModelIDsAndPipelines(t *testing.T) {
	noise, err := NewSeededNoise(DefaultSeededNoiseConfig())
	if err != nil {
		t.Fatal(err)
	}
	stylize, err := NewStylize(DefaultStylizeConfig(), nil)
	if err != nil {
		t.Fatal(err)
	}
	kenBurns, err := NewKenBurns(DefaultKenBurnsConfig(), nil)
	if err != nil {
		t.Fatal(err)
	}
	lanczos, err := NewLanczos(DefaultLanczosConfig(), nil)
	if err != nil {
		t.Fatal(err)
	}
	regionGrow, err := NewRegionGrow(DefaultRegionGrowConfig())
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		m        pipeline.Model
		id       string
		pipeline pipeline.Name
	}{
		{noise, "procedural/seeded-noise", pipeline.TextToImage},
		{stylize, "classical/ffmpeg-stylize", pipeline.ImageToImage},
		{kenBurns, "classical/ffmpeg-kenburns", pipeline.ImageToVideo},
		{lanczos, "classical/ffmpeg-lanczos-x2", pipeline.Upscale},
		{regionGrow, "classical/region-grow", pipeline.SegmentAnything2},
	} {
		if tc.m.ModelID() != tc.id || tc.m.Pipeline() != tc.pipeline {
			t.Errorf("%T: %s on %s, want %s on %s", tc.m, tc.m.ModelID(), tc.m.Pipeline(), tc.id, tc.pipeline)
		}
	}
}

// TestValidateNamesTheKey checks that each bad config is refused with a
// message starting with its key.
func TestValidateNamesTheKey(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  interface{ Validate() error }
		key  string
	}{
		{"noise max_side", SeededNoiseConfig{MaxSide: 4, MaxImages: 1}, "max_side"},
		{"noise max_images", SeededNoiseConfig{MaxSide: 64}, "max_images"},
		{"ffmpeg path", FFmpegConfig{Timeout: time.Minute}, "ffmpeg.path"},
		{"ffmpeg timeout", FFmpegConfig{Path: "ffmpeg"}, "ffmpeg.timeout"},
		{"stylize style", edit(DefaultStylizeConfig(), func(c *StylizeConfig) { c.Style = "baroque" }), "style"},
		{"stylize max_images", edit(DefaultStylizeConfig(), func(c *StylizeConfig) { c.MaxImages = 0 }), "max_images"},
		{"stylize ffmpeg", edit(DefaultStylizeConfig(), func(c *StylizeConfig) { c.FFmpeg.Path = "" }), "ffmpeg.path"},
		{"kenburns zoom", edit(DefaultKenBurnsConfig(), func(c *KenBurnsConfig) { c.Zoom = 0.5 }), "zoom"},
		{"kenburns supersample", edit(DefaultKenBurnsConfig(), func(c *KenBurnsConfig) { c.Supersample = 0 }), "supersample"},
		{"kenburns max_side", edit(DefaultKenBurnsConfig(), func(c *KenBurnsConfig) { c.MaxSide = 1 << 20 }), "max_side"},
		{"lanczos scale", edit(DefaultLanczosConfig(), func(c *LanczosConfig) { c.Scale = 3 }), "scale"},
		{"lanczos max_output_pixels", edit(DefaultLanczosConfig(), func(c *LanczosConfig) { c.MaxOutputPixels = 1 }), "max_output_pixels"},
		{"region tolerances empty", edit(DefaultRegionGrowConfig(), func(c *RegionGrowConfig) { c.Tolerances = nil }), "tolerances"},
		{"region tolerances order", edit(DefaultRegionGrowConfig(), func(c *RegionGrowConfig) { c.Tolerances = []float64{16, 8} }), "tolerances"},
		{"region tolerances repeated", edit(DefaultRegionGrowConfig(), func(c *RegionGrowConfig) { c.Tolerances = []float64{8, 8} }), "tolerances"},
		{"region tolerances zero", edit(DefaultRegionGrowConfig(), func(c *RegionGrowConfig) { c.Tolerances = []float64{0, 8} }), "tolerances"},
		{"region max_points", edit(DefaultRegionGrowConfig(), func(c *RegionGrowConfig) { c.MaxPoints = 0 }), "max_points"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.cfg.Validate()
			if err == nil || !strings.HasPrefix(err.Error(), tc.key+":") {
				t.Fatalf("got %v, want an error about %s", err, tc.key)
			}
		})
	}
}

func edit[C any](c C, fn func(*C)) C {
	fn(&c)
	return c
}
