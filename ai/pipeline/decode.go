package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	_ "image/gif"  // input images may be GIF
	_ "image/jpeg" // or JPEG
	_ "image/png"  // or PNG
	"mime"
	"strings"
	"time"

	_ "golang.org/x/image/webp" // or WebP
)

// AudioProber measures the length of audio in any container; it returns an
// error wrapping ErrUnsupportedMedia for data it cannot decode.
type AudioProber interface {
	AudioDuration(ctx context.Context, data []byte) (time.Duration, error)
}

// Decoder turns request bodies into Requests.
type Decoder struct {
	Limits Limits
	// Audio measures audio-to-text inputs; without it a request is billed
	// by the duration its metadata states, or 0.
	Audio AudioProber
}

// Decode reads a request body of pipeline name. The errors are
// *FieldError for a bad field, ErrBadRequestBody for a body that is not
// the pipeline's content type, and ErrUnsupportedMedia for audio that
// cannot be decoded.
func (d Decoder) Decode(ctx context.Context, name Name, contentType string, body []byte) (Request, error) {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || mt != name.ContentType() {
		return nil, fmt.Errorf("%w: %s takes %s, got %q", ErrBadRequestBody, name, name.ContentType(), contentType)
	}
	if !name.Multipart() {
		return d.decodeJSON(name, body)
	}
	f, err := readForm(body, params["boundary"], d.Limits)
	if err != nil {
		return nil, err
	}
	switch name {
	case ImageToImage:
		return d.imageToImage(f)
	case ImageToVideo:
		return d.imageToVideo(f)
	case Upscale:
		return d.upscale(f)
	case AudioToText:
		return d.audioToText(ctx, f)
	case SegmentAnything2:
		return d.segmentAnything2(f)
	case ImageToText:
		return d.imageToText(f)
	}
	return nil, fmt.Errorf("%w: %s", ErrNotSupported, name)
}

func (d Decoder) decodeJSON(name Name, body []byte) (Request, error) {
	var req Request
	switch name {
	case TextToImage:
		p := defaultTextToImage()
		req = &p
	case TextToSpeech:
		p := defaultTextToSpeech()
		req = &p
	case LLM:
		p := defaultLLM()
		req = &p
	default:
		return nil, fmt.Errorf("%w: %s", ErrNotSupported, name)
	}
	if err := json.Unmarshal(body, req); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return nil, fieldErr(te.Field, "must be %s", te.Type.Kind())
		}
		return nil, fmt.Errorf("%w: %w", ErrBadRequestBody, err)
	}
	switch p := req.(type) {
	case *TextToImageParams:
		return p, d.checkTextToImage(p)
	case *TextToSpeechParams:
		if strings.TrimSpace(p.Text) == "" {
			return nil, fieldErr("text", "must not be empty")
		}
	case *LLMParams:
		return p, checkLLM(p)
	}
	return req, nil
}

func (d Decoder) checkTextToImage(p *TextToImageParams) error {
	if strings.TrimSpace(p.Prompt) == "" {
		return fieldErr("prompt", "is required")
	}
	if err := d.checkSize("width", p.Width, "height", p.Height); err != nil {
		return err
	}
	return d.checkImages(p.NumImages)
}

func checkLLM(p *LLMParams) error {
	if len(p.Messages) == 0 {
		return fieldErr("messages", "must hold at least one message")
	}
	for i, m := range p.Messages {
		if m.Role == "" {
			return fieldErr(fmt.Sprintf("messages[%d].role", i), "is required")
		}
	}
	if p.MaxTokens < 1 {
		return fieldErr("max_tokens", "must be at least 1")
	}
	return nil
}

func (d Decoder) checkSize(wName string, w int, hName string, h int) error {
	for _, s := range []struct {
		name string
		v    int
	}{{wName, w}, {hName, h}} {
		if s.v < 8 || s.v > d.Limits.MaxOutputSide {
			return fieldErr(s.name, "must be 8..%d, got %d", d.Limits.MaxOutputSide, s.v)
		}
	}
	return nil
}

func (d Decoder) checkImages(n int) error {
	if n < 1 || n > d.Limits.MaxImages {
		return fieldErr("num_images_per_prompt", "must be 1..%d, got %d", d.Limits.MaxImages, n)
	}
	return nil
}

// image reads the form's image file and its size.
func (d Decoder) image(f *form, field string) (File, error) {
	file, err := f.file(field)
	if err != nil {
		return File{}, err
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(file.Data))
	if err != nil {
		return File{}, fieldErr(field, "is not a PNG, JPEG, GIF or WebP image")
	}
	file.Width, file.Height = cfg.Width, cfg.Height
	if cfg.Width < 1 || cfg.Height < 1 {
		return File{}, fieldErr(field, "has no pixels")
	}
	if file.pixels() > d.Limits.MaxImagePixels {
		return File{}, fieldErr(field, "is %d×%d; at most %d pixels are taken", cfg.Width, cfg.Height, d.Limits.MaxImagePixels)
	}
	file.ContentType = "image/" + format
	return file, nil
}
