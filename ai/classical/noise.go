package classical

import (
	"context"
	"errors"
	"fmt"
	"image"

	"github.com/castmesh/castmesh/ai/pipeline"
)

// SeededNoiseID is the model id of SeededNoise.
const SeededNoiseID = "procedural/seeded-noise"

// SeededNoiseConfig tunes SeededNoise.
type SeededNoiseConfig struct {
	// DrawPrompt writes the prompt at the bottom of each image, so that
	// nobody mistakes the picture for a rendering of it.
	DrawPrompt bool `yaml:"draw_prompt"`
	// MaxSide bounds the width and the height asked for, in pixels.
	MaxSide int `yaml:"max_side"`
	// MaxImages bounds num_images_per_prompt.
	MaxImages int `yaml:"max_images"`
}

// DefaultSeededNoiseConfig returns the defaults.
func DefaultSeededNoiseConfig() SeededNoiseConfig {
	l := pipeline.DefaultLimits()
	return SeededNoiseConfig{
		DrawPrompt: true,
		// 2048 and 8: pipeline.DefaultLimits, which gateways already
		// enforce; 8 images of 2048² take about 2 s on 2 cores.
		MaxSide:   l.MaxOutputSide,
		MaxImages: l.MaxImages,
	}
}

// Validate names the first bad key.
func (c SeededNoiseConfig) Validate() error {
	switch {
	case c.MaxSide < 8 || c.MaxSide > 16384:
		return fmt.Errorf("max_side: %d out of range 8..16384", c.MaxSide)
	case c.MaxImages < 1:
		return errors.New("max_images: must be at least 1")
	}
	return nil
}

// SeededNoise is the text-to-image model procedural/seeded-noise: not a
// neural network, and not a picture of the prompt. Each image is fractal
// value noise, warped by more noise and coloured by a four-stop palette.
// The palette's hues come from a hash of the prompt, nudged by the seed;
// the layout (scale, warp, gradient direction, detail) comes from a hash of
// the prompt and the seed. Image i uses seed+i, as the ai-runner does. The
// same seed, prompt and size always give the same PNG bytes from one
// build (another CPU architecture may round floating point differently).
//
// guidance_scale, negative_prompt, loras and num_inference_steps are
// ignored. No safety check is performed: NSFW is always false.
type SeededNoise struct {
	cfg SeededNoiseConfig
}

// NewSeededNoise returns the model.
func NewSeededNoise(cfg SeededNoiseConfig) (*SeededNoise, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &SeededNoise{cfg: cfg}, nil
}

// Pipeline returns pipeline.TextToImage.
func (m *SeededNoise) Pipeline() pipeline.Name { return pipeline.TextToImage }

// ModelID returns SeededNoiseID.
func (m *SeededNoise) ModelID() string { return SeededNoiseID }

// TextToImage draws p.NumImages PNG images of p.Width × p.Height.
func (m *SeededNoise) TextToImage(ctx context.Context, p *pipeline.TextToImageParams) ([]pipeline.Media, error) {
	if err := firstErr(checkRange("width", p.Width, 8, m.cfg.MaxSide), checkRange("height", p.Height, 8, m.cfg.MaxSide),
		checkRange("num_images_per_prompt", p.NumImages, 1, m.cfg.MaxImages)); err != nil {
		return nil, err
	}
	seed := seedOr(p.Seed)
	out := make([]pipeline.Media, 0, p.NumImages)
	for i := range int64(p.NumImages) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		data, err := m.render(p.Prompt, seed+i, p.Width, p.Height)
		if err != nil {
			return nil, err
		}
		out = append(out, pipeline.Media{Data: data, MIME: "image/png", Seed: seed + i})
	}
	return out, nil
}

func (m *SeededNoise) render(prompt string, seed int64, w, h int) ([]byte, error) {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	newScene(prompt, seed).paint(img)
	if m.cfg.DrawPrompt {
		drawCaption(img, prompt)
	}
	return encodePNG(img)
}
