package esrgan

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/castmesh/castmesh/ai/onnx"
)

// load compiles the network unless it is already; the caller holds the turn.
func (m *Model) load(ctx context.Context) error {
	if m.closed {
		return ErrClosed
	}
	if m.sess != nil {
		return nil
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	net, err := readNetwork(filepath.Join(m.cfg.AssetsDir, "models", "x"+strconv.Itoa(m.cfg.Scale)))
	if err != nil {
		return err
	}
	if net.scale != m.cfg.Scale {
		return configErr("assets_dir", "models/x%d upscales %d×", m.cfg.Scale, net.scale)
	}
	if m.cfg.TilePad < net.halo {
		return configErr("tile_pad", "%d is less than the network's receptive field, %d pixels: tiles would show seams",
			m.cfg.TilePad, net.halo)
	}
	if err := onnx.Init(m.cfg.Library); err != nil {
		return err
	}
	m.sess, err = onnx.NewSession(net.onnx, onnx.SessionConfig{
		Inputs: []string{net.input}, Outputs: []string{net.output}, IntraOpThreads: m.cfg.Threads,
	})
	return err
}

// readNetwork reads dir's model.json and weight shards and converts them.
func readNetwork(dir string) (*network, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrConfig, err)
	}
	defer root.Close()
	js, err := root.ReadFile("model.json")
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrConfig, err)
	}
	model, err := parseModel(js)
	if err != nil {
		return nil, err
	}
	ws, err := readWeights(model.WeightsManifest, root.ReadFile)
	if err != nil {
		return nil, err
	}
	return convert(model, ws)
}
