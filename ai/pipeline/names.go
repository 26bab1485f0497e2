package pipeline

// Name is a pipeline's name, as it appears in URL paths ("/upscale"), in
// capabilities and in prices.
type Name string

// The pipelines of the Livepeer ai-runner API.
const (
	TextToImage      Name = "text-to-image"
	ImageToImage     Name = "image-to-image"
	ImageToVideo     Name = "image-to-video"
	Upscale          Name = "upscale"
	AudioToText      Name = "audio-to-text"
	SegmentAnything2 Name = "segment-anything-2"
	LLM              Name = "llm"
	ImageToText      Name = "image-to-text"
	TextToSpeech     Name = "text-to-speech"
	LiveVideoToVideo Name = "live-video-to-video"
)

// Batch lists the request/response pipelines, in the order of the
// ai-runner API document.
func Batch() []Name {
	return []Name{TextToImage, ImageToImage, ImageToVideo, Upscale, AudioToText, SegmentAnything2, LLM, ImageToText, TextToSpeech}
}

// Parse returns the batch pipeline called s.
func Parse(s string) (Name, bool) {
	for _, n := range Batch() {
		if string(n) == s {
			return n, true
		}
	}
	return "", false
}

// Multipart reports whether the pipeline's requests are
// multipart/form-data (they carry a file); the others are JSON.
func (n Name) Multipart() bool {
	switch n {
	case TextToImage, LLM, TextToSpeech, LiveVideoToVideo:
		return false
	}
	return true
}

// ContentType is the media type of the pipeline's request bodies.
func (n Name) ContentType() string {
	if n.Multipart() {
		return "multipart/form-data"
	}
	return "application/json"
}
