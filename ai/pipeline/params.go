package pipeline

// The parameters of each pipeline, with the ai-runner API's defaults
// (runner/openapi.yaml v0.14.1). A field the caller leaves out keeps its
// default; Seed is nil when the caller leaves it out, and the model then
// picks one at random and reports it.

// TextToImageParams asks for images drawn from a prompt.
type TextToImageParams struct {
	ModelID           string  `json:"model_id"`
	Loras             string  `json:"loras"`
	Prompt            string  `json:"prompt"`
	Height            int     `json:"height"`
	Width             int     `json:"width"`
	GuidanceScale     float64 `json:"guidance_scale"`
	NegativePrompt    string  `json:"negative_prompt"`
	SafetyCheck       bool    `json:"safety_check"`
	Seed              *int64  `json:"seed,omitempty"`
	NumInferenceSteps int     `json:"num_inference_steps"`
	NumImages         int     `json:"num_images_per_prompt"`
}

// ImageToImageParams asks for an image transformed as a prompt says.
type ImageToImageParams struct {
	Prompt             string
	Image              File
	ModelID            string
	Loras              string
	Strength           float64
	GuidanceScale      float64
	ImageGuidanceScale float64
	NegativePrompt     string
	SafetyCheck        bool
	Seed               *int64
	NumInferenceSteps  int
	NumImages          int
}

// ImageToVideoParams asks for a short video made from an image.
type ImageToVideoParams struct {
	Image             File
	ModelID           string
	Height            int
	Width             int
	FPS               int
	MotionBucketID    int
	NoiseAugStrength  float64
	SafetyCheck       bool
	Seed              *int64
	NumInferenceSteps int
}

// UpscaleParams asks for an image at a higher resolution.
type UpscaleParams struct {
	Prompt            string
	Image             File
	ModelID           string
	SafetyCheck       bool
	Seed              *int64
	NumInferenceSteps int
}

// AudioToTextParams asks for speech transcribed.
type AudioToTextParams struct {
	Audio   File
	ModelID string
	// ReturnTimestamps is "true" or "sentence" (chunks per sentence),
	// "word" (chunks per word) or "false" (no chunks).
	ReturnTimestamps string
	// Metadata is a JSON object; "duration" in it, when set, is the
	// audio's length in seconds.
	Metadata string
	// DurationMS is the audio's length, measured by whoever decoded the
	// request (see Decoder); 0 when not measured.
	DurationMS int64
}

// SegmentAnything2Params asks for the masks of objects a prompt points at.
// The prompts are JSON text, as in the ai-runner API.
type SegmentAnything2Params struct {
	Image           File
	ModelID         string
	PointCoords     string
	PointLabels     string
	Box             string
	MaskInput       string
	MultimaskOutput bool
	ReturnLogits    bool
	NormalizeCoords bool
}

// ImageToTextParams asks for the text of an image.
type ImageToTextParams struct {
	Image   File
	Prompt  string
	ModelID string
}

// TextToSpeechParams asks for text spoken.
type TextToSpeechParams struct {
	ModelID     string `json:"model_id"`
	Text        string `json:"text"`
	Description string `json:"description"`
}

// LLMMessage is one message of a chat.
type LLMMessage struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// LLMParams asks a language model to continue a chat.
type LLMParams struct {
	Messages    []LLMMessage `json:"messages"`
	ModelID     string       `json:"model"`
	Temperature float64      `json:"temperature"`
	MaxTokens   int          `json:"max_tokens"`
	TopP        float64      `json:"top_p"`
	TopK        int          `json:"top_k"`
	Stream      bool         `json:"stream"`
}

// File is an uploaded file. For images, Width and Height are read from the
// file's header when the request is decoded.
type File struct {
	Name        string
	ContentType string
	Data        []byte
	Width       int
	Height      int
}

// The ai-runner API's default speaker description for text-to-speech.
const defaultSpeaker = "A male speaker delivers a slightly expressive and animated speech with a moderate speed and pitch."

func defaultTextToImage() TextToImageParams {
	return TextToImageParams{Height: 576, Width: 1024, GuidanceScale: 7.5, SafetyCheck: true, NumInferenceSteps: 50, NumImages: 1}
}

func defaultImageToImage() ImageToImageParams {
	return ImageToImageParams{Strength: 0.8, GuidanceScale: 7.5, ImageGuidanceScale: 1.5, SafetyCheck: true, NumInferenceSteps: 100, NumImages: 1}
}

func defaultImageToVideo() ImageToVideoParams {
	return ImageToVideoParams{Height: 576, Width: 1024, FPS: 6, MotionBucketID: 127, NoiseAugStrength: 0.02, SafetyCheck: true, NumInferenceSteps: 25}
}

func defaultUpscale() UpscaleParams { return UpscaleParams{SafetyCheck: true, NumInferenceSteps: 75} }

func defaultAudioToText() AudioToTextParams {
	return AudioToTextParams{ReturnTimestamps: "true", Metadata: "{}"}
}

func defaultSegmentAnything2() SegmentAnything2Params {
	return SegmentAnything2Params{MultimaskOutput: true, ReturnLogits: true, NormalizeCoords: true}
}

func defaultTextToSpeech() TextToSpeechParams { return TextToSpeechParams{Description: defaultSpeaker} }

func defaultLLM() LLMParams { return LLMParams{Temperature: 0.7, MaxTokens: 256, TopP: 1, TopK: -1} }
