package pipeline

// The responses of the ai-runner API (runner/openapi.yaml) and of the
// Livepeer gateway API (runner/gateway.openapi.yaml), as JSON.

// MediaJSON is one generated file: a URL (a data URL from a runner, a URL
// the gateway serves, or a data URL again if the caller asked for one),
// the seed that made it and whether a safety check flagged it.
type MediaJSON struct {
	URL  string `json:"url"`
	Seed int64  `json:"seed"`
	NSFW bool   `json:"nsfw"`
}

// ImageResponse answers text-to-image, image-to-image and upscale.
type ImageResponse struct {
	Images []MediaJSON `json:"images"`
}

// RunnerVideoResponse is image-to-video as a runner answers it: batches of
// PNG frames. Workers encode the frames to MP4 and answer a VideoResponse.
type RunnerVideoResponse struct {
	Frames [][]MediaJSON `json:"frames"`
}

// VideoResponse is image-to-video as the gateway answers it: MP4 files.
type VideoResponse = ImageResponse

// Chunk is a span of transcribed text; Timestamp is [start, end] in seconds.
type Chunk struct {
	Timestamp [2]float64 `json:"timestamp"`
	Text      string     `json:"text"`
}

// TextResponse answers audio-to-text.
type TextResponse struct {
	Text   string  `json:"text"`
	Chunks []Chunk `json:"chunks"`
}

// MediaURL is a file by URL.
type MediaURL struct {
	URL string `json:"url"`
}

// AudioResponse answers text-to-speech.
type AudioResponse struct {
	Audio MediaURL `json:"audio"`
}

// MasksResponse answers segment-anything-2: each field is a Python-style
// nested list (str(numpy_array.tolist())), masks sorted by score.
type MasksResponse struct {
	Masks  string `json:"masks"`
	Scores string `json:"scores"`
	Logits string `json:"logits"`
}

// ImageToTextResponse answers image-to-text.
type ImageToTextResponse struct {
	Text string `json:"text"`
}

// LLMTokenUsage counts an answer's tokens.
type LLMTokenUsage struct {
	PromptTokens     int `json:"prompt_tokens"`
	CompletionTokens int `json:"completion_tokens"`
	TotalTokens      int `json:"total_tokens"`
}

// LLMChoice is one answer: Message when whole, Delta in a stream.
type LLMChoice struct {
	Index        int         `json:"index"`
	FinishReason string      `json:"finish_reason"`
	Delta        *LLMMessage `json:"delta,omitempty"`
	Message      *LLMMessage `json:"message,omitempty"`
}

// LLMResponse answers llm, or is one event of a stream.
type LLMResponse struct {
	ID      string        `json:"id"`
	Model   string        `json:"model"`
	Created int64         `json:"created"`
	Usage   LLMTokenUsage `json:"usage"`
	Choices []LLMChoice   `json:"choices"`
}

// APIError is the message of an HTTPError.
type APIError struct {
	Msg string `json:"msg"`
}

// HTTPError is the ai-runner API's error body for 400, 401, 413, 415, 500
// and 503.
type HTTPError struct {
	Detail APIError `json:"detail"`
}

// ValidationError is one field's failure in an HTTPValidationError.
type ValidationError struct {
	Loc  []any  `json:"loc"`
	Msg  string `json:"msg"`
	Type string `json:"type"`
}

// HTTPValidationError is the ai-runner API's 422 body; unlike HTTPError its
// detail is a list.
type HTTPValidationError struct {
	Detail []ValidationError `json:"detail"`
}
