package pipeline

import "unicode/utf8"

// Request is a decoded request of any pipeline.
type Request interface {
	Pipeline() Name
	// Model is the model the caller asked for; empty means any.
	Model() string
	// Units is what the request costs, in the pipeline's billing unit.
	Units() int64
}

// VideoFrames is the frame count image-to-video requests are billed for:
// Stable Video Diffusion XT makes 25 frames, and Livepeer bills 25.
const VideoFrames = 25

// Pipeline implements Request.
func (p *TextToImageParams) Pipeline() Name { return TextToImage }

// Model implements Request.
func (p *TextToImageParams) Model() string { return p.ModelID }

// Units is the output pixels: width × height × images.
func (p *TextToImageParams) Units() int64 {
	return int64(p.Width) * int64(p.Height) * int64(p.NumImages)
}

// Pipeline implements Request.
func (p *ImageToImageParams) Pipeline() Name { return ImageToImage }

// Model implements Request.
func (p *ImageToImageParams) Model() string { return p.ModelID }

// Units is the input pixels × images.
func (p *ImageToImageParams) Units() int64 { return p.Image.pixels() * int64(p.NumImages) }

// Pipeline implements Request.
func (p *ImageToVideoParams) Pipeline() Name { return ImageToVideo }

// Model implements Request.
func (p *ImageToVideoParams) Model() string { return p.ModelID }

// Units is width × height × VideoFrames.
func (p *ImageToVideoParams) Units() int64 {
	return int64(p.Width) * int64(p.Height) * VideoFrames
}

// Pipeline implements Request.
func (p *UpscaleParams) Pipeline() Name { return Upscale }

// Model implements Request.
func (p *UpscaleParams) Model() string { return p.ModelID }

// Units is the input pixels.
func (p *UpscaleParams) Units() int64 { return p.Image.pixels() }

// Pipeline implements Request.
func (p *AudioToTextParams) Pipeline() Name { return AudioToText }

// Model implements Request.
func (p *AudioToTextParams) Model() string { return p.ModelID }

// Units is the audio's length in milliseconds.
func (p *AudioToTextParams) Units() int64 { return p.DurationMS }

// Pipeline implements Request.
func (p *SegmentAnything2Params) Pipeline() Name { return SegmentAnything2 }

// Model implements Request.
func (p *SegmentAnything2Params) Model() string { return p.ModelID }

// Units is the input pixels.
func (p *SegmentAnything2Params) Units() int64 { return p.Image.pixels() }

// Pipeline implements Request.
func (p *ImageToTextParams) Pipeline() Name { return ImageToText }

// Model implements Request.
func (p *ImageToTextParams) Model() string { return p.ModelID }

// Units is the input pixels.
func (p *ImageToTextParams) Units() int64 { return p.Image.pixels() }

// Pipeline implements Request.
func (p *TextToSpeechParams) Pipeline() Name { return TextToSpeech }

// Model implements Request.
func (p *TextToSpeechParams) Model() string { return p.ModelID }

// Units is the characters (Unicode code points) of the text.
func (p *TextToSpeechParams) Units() int64 { return int64(utf8.RuneCountInString(p.Text)) }

// Pipeline implements Request.
func (p *LLMParams) Pipeline() Name { return LLM }

// Model implements Request.
func (p *LLMParams) Model() string { return p.ModelID }

// Units is the most tokens the answer may have: what is held before the
// work. The bill is the tokens the answer really had (LLMUnits).
func (p *LLMParams) Units() int64 { return int64(p.MaxTokens) }

func (f File) pixels() int64 { return int64(f.Width) * int64(f.Height) }

// LLMUnits is what an llm answer costs: its completion tokens as the model
// reported them, or, when it reported none (a stream without a usage
// report), one token per chunk that carried content; never more than the
// request's max_tokens.
func LLMUnits(req *LLMParams, usage LLMTokenUsage, contentChunks int) int64 {
	n := int64(contentChunks)
	if usage.CompletionTokens > 0 {
		n = int64(usage.CompletionTokens)
	}
	return max(0, min(n, int64(req.MaxTokens)))
}
