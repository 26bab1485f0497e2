package classical

import (
	"context"
	"errors"
	"fmt"
	"image"
	"log/slog"
	"slices"

	"github.com/castmesh/castmesh/ai/pipeline"
)

// StylizeID is the model id of Stylize.
const StylizeID = "classical/ffmpeg-stylize"

// StylizeConfig tunes Stylize.
type StylizeConfig struct {
	FFmpeg FFmpegConfig `yaml:"ffmpeg"`
	// Style is used when the prompt names none: cartoon, posterize,
	// sketch or neon.
	Style string `yaml:"style"`
	// MaxInputPixels bounds the input image (width × height).
	MaxInputPixels int64 `yaml:"max_input_pixels"`
	// MaxImages bounds num_images_per_prompt.
	MaxImages int `yaml:"max_images"`
}

// DefaultStylizeConfig returns the defaults.
func DefaultStylizeConfig() StylizeConfig {
	l := pipeline.DefaultLimits()
	return StylizeConfig{
		FFmpeg: DefaultFFmpegConfig(),
		// cartoon: smoothing, quantisation and ink lines, the most
		// visibly "transformed" of the styles.
		Style: "cartoon",
		// 4096² and 8: pipeline.DefaultLimits, which gateways enforce.
		MaxInputPixels: l.MaxImagePixels,
		MaxImages:      l.MaxImages,
	}
}

// Validate names the first bad key.
func (c StylizeConfig) Validate() error {
	switch {
	case !slices.Contains(styleNames(), c.Style):
		return fmt.Errorf("style: %q is not one of %v", c.Style, styleNames())
	case c.MaxInputPixels < 1:
		return errors.New("max_input_pixels: must be at least 1")
	case c.MaxImages < 1:
		return errors.New("max_images: must be at least 1")
	}
	return c.FFmpeg.Validate()
}

// Stylize is the image-to-image model classical/ffmpeg-stylize: not a
// neural network, and it does not follow instructions. It runs one of
// four named ffmpeg filter chains and blends the result with the input by
// strength (0 gives the input's pixels back, 1 the filtered image):
//
//   - cartoon: bilateral (edge-preserving) smoothing, ELBG colour
//     quantisation and dark edge lines;
//   - posterize: the same without the lines;
//   - sketch: dark edge lines on white;
//   - neon: edge lines coloured by the saturated, hue-turned input, on black.
//
// The prompt is read only for a keyword naming a style ("comic", "pencil",
// "neon" …; the earliest wins), else the configured style is used. Image i
// uses seed+i: the seed picks the quantiser's palette size and seed
// (cartoon, posterize) or the hue turn (neon); sketch ignores it. The
// output is a PNG of the input's size. A 1024² image takes about 0.5 s on
// 2 cores; a 4096² one about 10 s, and ffmpeg holds 1.4 GB meanwhile.
//
// guidance_scale, image_guidance_scale, negative_prompt, loras and
// num_inference_steps are ignored. No safety check is performed: NSFW is
// always false.
type Stylize struct {
	cfg    StylizeConfig
	ffmpeg ffmpeg
}

// NewStylize returns the model; log may be nil.
func NewStylize(cfg StylizeConfig, log *slog.Logger) (*Stylize, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &Stylize{cfg: cfg, ffmpeg: newFFmpeg(cfg.FFmpeg, log, StylizeID)}, nil
}

// Pipeline returns pipeline.ImageToImage.
func (m *Stylize) Pipeline() pipeline.Name { return pipeline.ImageToImage }

// ModelID returns StylizeID.
func (m *Stylize) ModelID() string { return StylizeID }

// ImageToImage returns p.NumImages stylised PNG copies of p.Image.
func (m *Stylize) ImageToImage(ctx context.Context, p *pipeline.ImageToImageParams) ([]pipeline.Media, error) {
	if p.Strength < 0 || p.Strength > 1 {
		return nil, fieldError("strength", "must be 0..1, got %g", p.Strength)
	}
	if err := checkRange("num_images_per_prompt", p.NumImages, 1, m.cfg.MaxImages); err != nil {
		return nil, err
	}
	in, err := decodeImage(p.Image, m.cfg.MaxInputPixels)
	if err != nil {
		return nil, err
	}
	st, seed := pickStyle(p.Prompt, m.cfg.Style), seedOr(p.Seed)
	out := make([]pipeline.Media, 0, p.NumImages)
	var unseeded []byte // an unseeded style's output, made once
	for i := range int64(p.NumImages) {
		data := unseeded
		if data == nil {
			if data, err = m.stylize(ctx, in, st.graph(seed+i), p.Strength); err != nil {
				return nil, err
			}
		}
		if !st.seeded {
			unseeded = data
		}
		out = append(out, pipeline.Media{Data: data, MIME: "image/png", Seed: seed + i})
	}
	return out, nil
}

// stylize runs graph over in and blends its output with in by strength.
func (m *Stylize) stylize(ctx context.Context, in *image.NRGBA, graph string, strength float64) ([]byte, error) {
	if strength == 0 {
		return encodePNG(in)
	}
	b := in.Bounds()
	fx, err := m.ffmpeg.run(ctx, filterJob{in: in, filter: graph, outW: b.Dx(), outH: b.Dy(), frames: 1})
	if err != nil {
		return nil, err
	}
	blend(fx[0], in, strength)
	return encodePNG(fx[0])
}

// blend sets fx to in + (fx − in)·strength, keeping in's alpha.
func blend(fx, in *image.NRGBA, strength float64) {
	s := int(strength*256 + 0.5) // fixed point, 8 fractional bits
	for i := 0; i < len(in.Pix); i += 4 {
		for c := i; c < i+3; c++ {
			a := int(in.Pix[c])
			fx.Pix[c] = uint8(a + ((int(fx.Pix[c])-a)*s+128)>>8)
		}
		fx.Pix[i+3] = in.Pix[i+3]
	}
}
