package pipeline

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Response is a decoded answer of a batch pipeline, as the gateway API
// answers it (image-to-video as MP4 files, not frames).
type Response interface {
	// Media lists the answer's file URLs, for rewriting in place.
	Media() []*string
}

// Media implements Response.
func (r *ImageResponse) Media() []*string {
	out := make([]*string, 0, len(r.Images))
	for i := range r.Images {
		out = append(out, &r.Images[i].URL)
	}
	return out
}

// Media implements Response.
func (r *AudioResponse) Media() []*string { return []*string{&r.Audio.URL} }

// Media implements Response: a transcript has no files.
func (r *TextResponse) Media() []*string { return nil }

// Media implements Response: masks are inline.
func (r *MasksResponse) Media() []*string { return nil }

// Media implements Response.
func (r *ImageToTextResponse) Media() []*string { return nil }

// Media implements Response.
func (r *LLMResponse) Media() []*string { return nil }

// DecodeResponse reads a whole answer of pipeline name and checks it has
// what the API promises: every required field, and a URL for every file.
func DecodeResponse(name Name, body []byte) (Response, error) {
	var r Response
	switch name {
	case TextToImage, ImageToImage, ImageToVideo, Upscale:
		r = &ImageResponse{}
	case AudioToText:
		r = &TextResponse{}
	case TextToSpeech:
		r = &AudioResponse{}
	case SegmentAnything2:
		r = &MasksResponse{}
	case ImageToText:
		r = &ImageToTextResponse{}
	case LLM:
		r = &LLMResponse{}
	default:
		return nil, fmt.Errorf("%w: %s", ErrNotSupported, name)
	}
	if err := decodeStrict(body, r); err != nil {
		return nil, fmt.Errorf("%s answer: %w", name, err)
	}
	return r, checkResponse(name, r)
}

func decodeStrict(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return fmt.Errorf("trailing data after the JSON answer")
	}
	return nil
}

func checkResponse(name Name, r Response) error {
	for _, u := range r.Media() {
		if *u == "" {
			return fmt.Errorf("%s answer: a file without a URL", name)
		}
	}
	switch v := r.(type) {
	case *ImageResponse:
		if len(v.Images) == 0 {
			return fmt.Errorf("%s answer: no images", name)
		}
	case *TextResponse:
		if v.Chunks == nil {
			v.Chunks = []Chunk{}
		}
	case *LLMResponse:
		if len(v.Choices) == 0 {
			return fmt.Errorf("%s answer: no choices", name)
		}
	}
	return nil
}

// DecodeRunnerVideo reads a runner's image-to-video answer: batches of
// frames as data URLs. It returns every frame in order.
func DecodeRunnerVideo(body []byte) ([]Media, error) {
	var r RunnerVideoResponse
	if err := decodeStrict(body, &r); err != nil {
		return nil, fmt.Errorf("image-to-video answer: %w", err)
	}
	var frames []Media
	for _, batch := range r.Frames {
		for _, f := range batch {
			mt, data, err := ParseDataURL(f.URL)
			if err != nil {
				return nil, fmt.Errorf("image-to-video frame %d: %w", len(frames), err)
			}
			frames = append(frames, Media{Data: data, MIME: mt, Seed: f.Seed, NSFW: f.NSFW})
		}
	}
	if len(frames) == 0 {
		return nil, fmt.Errorf("image-to-video answer: no frames")
	}
	return frames, nil
}
