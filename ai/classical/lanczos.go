package classical

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/castmesh/castmesh/ai/pipeline"
)

// LanczosConfig tunes Lanczos.
type LanczosConfig struct {
	FFmpeg FFmpegConfig `yaml:"ffmpeg"`
	// Scale is the factor, 2 or 4; it names the model
	// (classical/ffmpeg-lanczos-x2 or -x4).
	Scale int `yaml:"scale"`
	// MaxInputPixels bounds the input image (width × height).
	MaxInputPixels int64 `yaml:"max_input_pixels"`
	// MaxOutputPixels bounds the upscaled image (width × height).
	MaxOutputPixels int64 `yaml:"max_output_pixels"`
}

// DefaultLanczosConfig returns the defaults.
func DefaultLanczosConfig() LanczosConfig {
	return LanczosConfig{
		FFmpeg: DefaultFFmpegConfig(),
		Scale:  2,
		// 4096²: pipeline.DefaultLimits, which gateways enforce.
		MaxInputPixels: pipeline.DefaultLimits().MaxImagePixels,
		// 8192²: a 4096² input doubled. Its RGBA is 256 MiB, held twice
		// (ffmpeg's output, then the PNG); ×4 of 4096² (1 GiB) is refused.
		MaxOutputPixels: 8192 * 8192,
	}
}

// Validate names the first bad key.
func (c LanczosConfig) Validate() error {
	switch {
	case c.Scale != 2 && c.Scale != 4:
		return fmt.Errorf("scale: %d is not 2 or 4", c.Scale)
	case c.MaxInputPixels < 1:
		return errors.New("max_input_pixels: must be at least 1")
	case c.MaxOutputPixels < c.MaxInputPixels:
		return fmt.Errorf("max_output_pixels: %d is below max_input_pixels %d", c.MaxOutputPixels, c.MaxInputPixels)
	}
	return c.FFmpeg.Validate()
}

// Lanczos is the upscale model classical/ffmpeg-lanczos-x2 (or -x4): not a
// neural network, and it adds no detail. ffmpeg's Lanczos scaler
// (scale=iw*S:ih*S:flags=lanczos) makes the image S times wider and
// taller, output as PNG.
//
// The prompt, which the ai-runner API requires, is ignored, as are
// num_inference_steps and the seed (the result does not depend on it; the
// Media reports it all the same). No safety check is performed: NSFW is
// always false.
type Lanczos struct {
	cfg    LanczosConfig
	ffmpeg ffmpeg
}

// NewLanczos returns the model; log may be nil.
func NewLanczos(cfg LanczosConfig, log *slog.Logger) (*Lanczos, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	m := &Lanczos{cfg: cfg}
	m.ffmpeg = newFFmpeg(cfg.FFmpeg, log, m.ModelID())
	return m, nil
}

// Pipeline returns pipeline.Upscale.
func (m *Lanczos) Pipeline() pipeline.Name { return pipeline.Upscale }

// ModelID returns classical/ffmpeg-lanczos-x2 or classical/ffmpeg-lanczos-x4.
func (m *Lanczos) ModelID() string { return fmt.Sprintf("classical/ffmpeg-lanczos-x%d", m.cfg.Scale) }

// Upscale returns p.Image scaled up, as PNG.
func (m *Lanczos) Upscale(ctx context.Context, p *pipeline.UpscaleParams) (pipeline.Media, error) {
	in, err := decodeImage(p.Image, m.cfg.MaxInputPixels)
	if err != nil {
		return pipeline.Media{}, err
	}
	s, b := m.cfg.Scale, in.Bounds()
	w, h := b.Dx()*s, b.Dy()*s
	if px := int64(w) * int64(h); px > m.cfg.MaxOutputPixels {
		return pipeline.Media{}, fieldError("image", "is %d×%d; ×%d would make %d pixels, over the %d this model makes",
			b.Dx(), b.Dy(), s, px, m.cfg.MaxOutputPixels)
	}
	graph := fmt.Sprintf("scale=iw*%d:ih*%d:flags=lanczos", s, s)
	out, err := m.ffmpeg.run(ctx, filterJob{in: in, filter: graph, outW: w, outH: h, frames: 1})
	if err != nil {
		return pipeline.Media{}, err
	}
	data, err := encodePNG(out[0])
	if err != nil {
		return pipeline.Media{}, err
	}
	return pipeline.Media{Data: data, MIME: "image/png", Seed: seedOr(p.Seed)}, nil
}
