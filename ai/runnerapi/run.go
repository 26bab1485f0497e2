package runnerapi

import (
	"context"
	"fmt"
	"net/http"

	"github.com/castmesh/castmesh/ai/pipeline"
)

// run has the model do req and writes its answer.
func (s *Server) run(w http.ResponseWriter, ctx context.Context, req pipeline.Request) error {
	switch p := req.(type) {
	case *pipeline.TextToImageParams:
		m, err := as[pipeline.TextToImageModel](s.model)
		return images(w, err, func() ([]pipeline.Media, error) { return m.TextToImage(ctx, p) })
	case *pipeline.ImageToImageParams:
		m, err := as[pipeline.ImageToImageModel](s.model)
		return images(w, err, func() ([]pipeline.Media, error) { return m.ImageToImage(ctx, p) })
	case *pipeline.UpscaleParams:
		m, err := as[pipeline.UpscaleModel](s.model)
		return images(w, err, func() ([]pipeline.Media, error) {
			out, err := m.Upscale(ctx, p)
			return []pipeline.Media{out}, err
		})
	case *pipeline.ImageToVideoParams:
		return s.imageToVideo(w, ctx, p)
	case *pipeline.AudioToTextParams:
		m, err := as[pipeline.AudioToTextModel](s.model)
		if err != nil {
			return err
		}
		out, err := m.AudioToText(ctx, p)
		return reply(w, out, err)
	case *pipeline.TextToSpeechParams:
		m, err := as[pipeline.TextToSpeechModel](s.model)
		if err != nil {
			return err
		}
		out, err := m.TextToSpeech(ctx, p)
		return reply(w, pipeline.AudioResponse{Audio: pipeline.MediaURL{URL: pipeline.DataURL(out.MIME, out.Data)}}, err)
	case *pipeline.ImageToTextParams:
		m, err := as[pipeline.ImageToTextModel](s.model)
		if err != nil {
			return err
		}
		text, err := m.ImageToText(ctx, p)
		return reply(w, pipeline.ImageToTextResponse{Text: text}, err)
	case *pipeline.SegmentAnything2Params:
		m, err := as[pipeline.SegmentAnything2Model](s.model)
		if err != nil {
			return err
		}
		masks, err := m.SegmentAnything2(ctx, p)
		return reply(w, pipeline.FormatMasks(masks), err)
	case *pipeline.LLMParams:
		m, err := as[pipeline.LLMModel](s.model)
		if err != nil {
			return err
		}
		return llm(w, ctx, m, p)
	}
	return fmt.Errorf("%w: %s", pipeline.ErrNotSupported, req.Pipeline())
}

// as is the model as the interface of the pipeline it was asked to run.
func as[T pipeline.Model](m pipeline.Model) (T, error) {
	t, ok := m.(T)
	if !ok {
		return t, fmt.Errorf("%w: %s does not run it", pipeline.ErrNotSupported, m.ModelID())
	}
	return t, nil
}

func reply(w http.ResponseWriter, v any, err error) error {
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

func images(w http.ResponseWriter, err error, run func() ([]pipeline.Media, error)) error {
	if err != nil {
		return err
	}
	out, err := run()
	if err != nil {
		return err
	}
	resp := pipeline.ImageResponse{Images: make([]pipeline.MediaJSON, 0, len(out))}
	for _, m := range out {
		resp.Images = append(resp.Images, mediaJSON(m))
	}
	return reply(w, resp, nil)
}

func mediaJSON(m pipeline.Media) pipeline.MediaJSON {
	return pipeline.MediaJSON{URL: pipeline.DataURL(m.MIME, m.Data), Seed: m.Seed, NSFW: m.NSFW}
}

// imageToVideo answers with the frames in one batch, as ai-runner does.
func (s *Server) imageToVideo(w http.ResponseWriter, ctx context.Context, p *pipeline.ImageToVideoParams) error {
	m, err := as[pipeline.ImageToVideoModel](s.model)
	if err != nil {
		return err
	}
	frames, err := m.ImageToVideo(ctx, p)
	if err != nil {
		return err
	}
	batch := make([]pipeline.MediaJSON, 0, len(frames))
	for _, f := range frames {
		batch = append(batch, mediaJSON(f))
	}
	return reply(w, pipeline.RunnerVideoResponse{Frames: [][]pipeline.MediaJSON{batch}}, nil)
}
