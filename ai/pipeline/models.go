package pipeline

import "context"

// Media is a file a model made.
type Media struct {
	Data []byte
	// MIME is its media type, e.g. "image/png", "audio/wav".
	MIME string
	Seed int64
	NSFW bool
}

// Masks is what a segmentation model found: N masks of H × W, their
// scores, and N low-resolution logit maps.
type Masks struct {
	Masks  [][][]float32
	Scores []float32
	Logits [][][]float32
}

// Model is a model a runner serves. Its ModelID names it honestly: a
// built-in that is not a neural network says so ("classical/…",
// "procedural/…").
type Model interface {
	Pipeline() Name
	ModelID() string
}

// Loader is a model that loads its weights ahead of the first request;
// runners call Load when the model is configured warm.
type Loader interface {
	Load(ctx context.Context) error
}

// TextToImageModel draws images from a prompt.
type TextToImageModel interface {
	Model
	TextToImage(ctx context.Context, p *TextToImageParams) ([]Media, error)
}

// ImageToImageModel transforms an image.
type ImageToImageModel interface {
	Model
	ImageToImage(ctx context.Context, p *ImageToImageParams) ([]Media, error)
}

// ImageToVideoModel makes video frames (PNG images, in order) from an image.
type ImageToVideoModel interface {
	Model
	ImageToVideo(ctx context.Context, p *ImageToVideoParams) ([]Media, error)
}

// UpscaleModel makes an image larger.
type UpscaleModel interface {
	Model
	Upscale(ctx context.Context, p *UpscaleParams) (Media, error)
}

// AudioToTextModel transcribes speech.
type AudioToTextModel interface {
	Model
	AudioToText(ctx context.Context, p *AudioToTextParams) (TextResponse, error)
}

// TextToSpeechModel speaks text, returning a WAV file.
type TextToSpeechModel interface {
	Model
	TextToSpeech(ctx context.Context, p *TextToSpeechParams) (Media, error)
}

// ImageToTextModel reads text from an image.
type ImageToTextModel interface {
	Model
	ImageToText(ctx context.Context, p *ImageToTextParams) (string, error)
}

// SegmentAnything2Model finds the masks of what a prompt points at.
type SegmentAnything2Model interface {
	Model
	SegmentAnything2(ctx context.Context, p *SegmentAnything2Params) (Masks, error)
}

// LLMModel continues a chat. With p.Stream it calls emit with each chunk
// (choices[0].delta set) as it is made, then returns the last one; without
// it, it returns the whole answer (choices[0].message set).
type LLMModel interface {
	Model
	LLM(ctx context.Context, p *LLMParams, emit func(LLMResponse) error) (LLMResponse, error)
}
