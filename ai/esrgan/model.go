package esrgan

import (
	"context"
	"fmt"
	"image"

	"github.com/castmesh/castmesh/ai/onnx"
	"github.com/castmesh/castmesh/ai/pipeline"
)

// Model is ESRGAN-slim at one scale. It implements pipeline.UpscaleModel
// and pipeline.Loader, and is safe for concurrent use: requests check
// their images' headers in parallel, then take turns to decode and run
// the network, one request at a time, since one run already uses every
// core it is given and a second would only add its memory; each encodes
// its PNG after its turn.
type Model struct {
	cfg Config
	// turn holds one token: whoever holds it owns sess and closed.
	turn   chan struct{}
	sess   *onnx.Session
	closed bool
}

var (
	_ pipeline.UpscaleModel = (*Model)(nil)
	_ pipeline.Loader       = (*Model)(nil)
)

// New validates cfg and returns a Model; the network is loaded by Load, or
// by the first Upscale.
func New(cfg Config) (*Model, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &Model{cfg: cfg, turn: make(chan struct{}, 1)}, nil
}

// Pipeline is pipeline.Upscale.
func (m *Model) Pipeline() pipeline.Name { return pipeline.Upscale }

// ModelID is upscalerjs/esrgan-slim-x2 or upscalerjs/esrgan-slim-x4.
func (m *Model) ModelID() string { return modelID(m.cfg.Scale) }

// Load converts the network to ONNX and compiles it, if not done yet.
func (m *Model) Load(ctx context.Context) error {
	if err := m.acquire(ctx); err != nil {
		return err
	}
	defer m.release()
	return m.load(ctx)
}

// Close frees the network, waiting for a run in progress; the Model
// cannot be used afterwards.
func (m *Model) Close() error {
	m.turn <- struct{}{}
	defer m.release()
	m.closed = true
	if m.sess == nil {
		return nil
	}
	err := m.sess.Close()
	m.sess = nil
	return err
}

// Upscale returns the image Scale times larger, as PNG. The prompt and
// the other parameters are ignored (see the package doc); the seed is
// echoed back.
func (m *Model) Upscale(ctx context.Context, p *pipeline.UpscaleParams) (pipeline.Media, error) {
	if p.ModelID != "" && p.ModelID != m.ModelID() {
		return pipeline.Media{}, fmt.Errorf("%w: %q, this is %s", pipeline.ErrWrongModel, p.ModelID, m.ModelID())
	}
	if err := checkImage(p.Image.Data, m.cfg.MaxInputPixels); err != nil {
		return pipeline.Media{}, err
	}
	img, err := m.infer(ctx, p.Image.Data)
	if err != nil {
		return pipeline.Media{}, err
	}
	data, err := encodePNG(img)
	if err != nil {
		return pipeline.Media{}, err
	}
	var seed int64
	if p.Seed != nil {
		seed = *p.Seed
	}
	return pipeline.Media{Data: data, MIME: "image/png", Seed: seed}, nil
}

// infer decodes the image and runs the network over it, tile by tile,
// stopping between tiles (and inside a run) when ctx ends.
func (m *Model) infer(ctx context.Context, data []byte) (*image.RGBA, error) {
	if err := m.acquire(ctx); err != nil {
		return nil, err
	}
	defer m.release()
	if err := m.load(ctx); err != nil {
		return nil, err
	}
	src, err := decode(data, m.cfg.MaxInputPixels)
	if err != nil {
		return nil, err
	}
	s := m.cfg.Scale
	dst := image.NewRGBA(image.Rect(0, 0, s*src.Rect.Dx(), s*src.Rect.Dy()))
	for _, t := range tiles(src.Rect, m.cfg.TileSize, m.cfg.TilePad) {
		out, err := m.sess.Run(ctx, toPlanes(src, t.in))
		if err != nil {
			return nil, fmt.Errorf("esrgan tile %v: %w", t.core, err)
		}
		if err := fromPlanes(out[0], dst, t, s); err != nil {
			return nil, err
		}
	}
	return dst, nil
}

// acquire waits for the Model's turn, or for ctx to end.
func (m *Model) acquire(ctx context.Context) error {
	select {
	case m.turn <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (m *Model) release() { <-m.turn }
