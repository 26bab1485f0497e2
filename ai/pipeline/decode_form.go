package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
)

func (d Decoder) imageToImage(f *form) (Request, error) {
	p := defaultImageToImage()
	var err error
	if p.Image, err = d.image(f, "image"); err != nil {
		return nil, err
	}
	f.text("model_id", &p.ModelID)
	f.text("loras", &p.Loras)
	f.text("negative_prompt", &p.NegativePrompt)
	if err := firstErr(f.required("prompt", &p.Prompt), f.number("strength", &p.Strength),
		f.number("guidance_scale", &p.GuidanceScale), f.number("image_guidance_scale", &p.ImageGuidanceScale),
		f.boolean("safety_check", &p.SafetyCheck), f.seed(&p.Seed),
		f.integer("num_inference_steps", &p.NumInferenceSteps), f.integer("num_images_per_prompt", &p.NumImages)); err != nil {
		return nil, err
	}
	if p.Strength < 0 || p.Strength > 1 {
		return nil, fieldErr("strength", "must be 0..1, got %g", p.Strength)
	}
	return &p, d.checkImages(p.NumImages)
}

func (d Decoder) imageToVideo(f *form) (Request, error) {
	p := defaultImageToVideo()
	var err error
	if p.Image, err = d.image(f, "image"); err != nil {
		return nil, err
	}
	f.text("model_id", &p.ModelID)
	if err := firstErr(f.integer("height", &p.Height), f.integer("width", &p.Width), f.integer("fps", &p.FPS),
		f.integer("motion_bucket_id", &p.MotionBucketID), f.number("noise_aug_strength", &p.NoiseAugStrength),
		f.boolean("safety_check", &p.SafetyCheck), f.seed(&p.Seed),
		f.integer("num_inference_steps", &p.NumInferenceSteps)); err != nil {
		return nil, err
	}
	if p.FPS < 1 || p.FPS > 60 {
		return nil, fieldErr("fps", "must be 1..60, got %d", p.FPS)
	}
	return &p, d.checkSize("width", p.Width, "height", p.Height)
}

func (d Decoder) upscale(f *form) (Request, error) {
	p := defaultUpscale()
	var err error
	if p.Image, err = d.image(f, "image"); err != nil {
		return nil, err
	}
	f.text("model_id", &p.ModelID)
	return &p, firstErr(f.required("prompt", &p.Prompt), f.boolean("safety_check", &p.SafetyCheck),
		f.seed(&p.Seed), f.integer("num_inference_steps", &p.NumInferenceSteps))
}

func (d Decoder) audioToText(ctx context.Context, f *form) (Request, error) {
	p := defaultAudioToText()
	var err error
	if p.Audio, err = f.file("audio"); err != nil {
		return nil, err
	}
	f.text("model_id", &p.ModelID)
	f.text("return_timestamps", &p.ReturnTimestamps)
	f.text("metadata", &p.Metadata)
	switch strings.ToLower(p.ReturnTimestamps) {
	case "true", "sentence", "word", "false":
	default:
		return nil, fieldErr("return_timestamps", "must be true, sentence, word or false, got %q", p.ReturnTimestamps)
	}
	var meta struct {
		Duration float64 `json:"duration"`
	}
	if err := json.Unmarshal([]byte(p.Metadata), &meta); err != nil {
		return nil, fieldErr("metadata", "must be a JSON object")
	}
	p.DurationMS = int64(meta.Duration * 1000)
	if d.Audio != nil {
		dur, err := d.Audio.AudioDuration(ctx, p.Audio.Data)
		if err != nil {
			return nil, fmt.Errorf("audio: %w", err)
		}
		p.DurationMS = dur.Milliseconds()
	}
	if p.DurationMS < 0 {
		return nil, fieldErr("metadata", "duration must not be negative")
	}
	return &p, nil
}

func (d Decoder) segmentAnything2(f *form) (Request, error) {
	p := defaultSegmentAnything2()
	var err error
	if p.Image, err = d.image(f, "image"); err != nil {
		return nil, err
	}
	f.text("model_id", &p.ModelID)
	f.text("point_coords", &p.PointCoords)
	f.text("point_labels", &p.PointLabels)
	f.text("box", &p.Box)
	f.text("mask_input", &p.MaskInput)
	return &p, firstErr(f.boolean("multimask_output", &p.MultimaskOutput),
		f.boolean("return_logits", &p.ReturnLogits), f.boolean("normalize_coords", &p.NormalizeCoords))
}

func (d Decoder) imageToText(f *form) (Request, error) {
	p := ImageToTextParams{}
	var err error
	if p.Image, err = d.image(f, "image"); err != nil {
		return nil, err
	}
	f.text("model_id", &p.ModelID)
	f.text("prompt", &p.Prompt)
	return &p, nil
}
