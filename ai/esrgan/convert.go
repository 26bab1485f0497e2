package esrgan

import (
	"fmt"

	"github.com/castmesh/castmesh/ai/onnx"
)

// Bounds on layer settings, far above what ESRGAN uses, that keep a
// malformed model.json from asking for absurd graphs.
const (
	maxKernel   = 15
	maxChannels = 1 << 14
	maxUpscale  = 8
)

// network is a Keras model translated to ONNX.
type network struct {
	onnx          []byte
	input, output string
	// scale is how much larger the output is than the input.
	scale int
	// halo is the receptive field's reach, in input pixels: an output
	// pixel depends on the input pixels at most halo away.
	halo int
}

// tensor is what the converter knows about one layer's output.
type tensor struct {
	name     string
	channels int
	// scale is the tensor's resolution relative to the input.
	scale int
	// halo is the receptive field's reach so far, in input pixels.
	halo int
}

type converter struct {
	weights map[string]weight
	graph   onnx.Graph
	tensors map[string]tensor
}

// convert translates the model's layers, in their (topological) order,
// into an ONNX graph whose input is NCHW float in 0–255 like the Keras
// model's NHWC input.
func convert(m *tfjsModel, ws map[string]weight) (*network, error) {
	c := &converter{weights: ws, tensors: map[string]tensor{}}
	cfg := &m.Topology.ModelConfig.Config
	for _, l := range cfg.Layers {
		if err := c.add(l); err != nil {
			return nil, fmt.Errorf("layer %q: %w", l.Name, err)
		}
	}
	return c.finish(cfg.InputLayers[0], cfg.OutputLayers[0])
}

func (c *converter) add(l kerasLayer) error {
	if _, dup := c.tensors[l.Name]; dup || l.Name == "" {
		return fmt.Errorf("%w: missing or repeated layer name", ErrModelFormat)
	}
	if l.ClassName == "InputLayer" {
		t, err := c.inputLayer(l)
		c.tensors[l.Name] = t
		return err
	}
	ins, err := c.inbound(l)
	if err != nil {
		return err
	}
	var t tensor
	switch l.ClassName {
	case "Conv2D":
		t, err = c.conv(l, ins)
	case "Activation":
		t, err = c.activation(l.Name, l.Config.Activation, ins)
	case "Concatenate":
		t, err = c.concat(l, ins)
	case "Add":
		t, err = c.sum(l, ins)
	case "UpSampling2D":
		t, err = c.upsample(l, ins)
	default:
		return fmt.Errorf("%w: class %q", ErrUnsupportedLayer, l.ClassName)
	}
	c.tensors[l.Name] = t
	return err
}

// inbound resolves the inputs of a layer called once.
func (c *converter) inbound(l kerasLayer) ([]tensor, error) {
	if len(l.InboundNodes) != 1 || len(l.InboundNodes[0]) == 0 {
		return nil, fmt.Errorf("%w: %d calls, want 1", ErrUnsupportedLayer, len(l.InboundNodes))
	}
	ins := make([]tensor, 0, len(l.InboundNodes[0]))
	for _, ref := range l.InboundNodes[0] {
		t, ok := c.tensors[ref.Layer]
		if !ok || ref.Node != 0 || ref.Tensor != 0 {
			return nil, fmt.Errorf("%w: input %v is not an earlier layer's output", ErrModelFormat, ref)
		}
		ins = append(ins, t)
	}
	return ins, nil
}

func (c *converter) inputLayer(l kerasLayer) (tensor, error) {
	s := l.Config.BatchInputShape
	if len(s) != 4 || s[3] == nil || *s[3] < 1 || *s[3] > maxChannels || len(l.InboundNodes) != 0 {
		return tensor{}, fmt.Errorf("%w: input shape must be [batch, height, width, channels]", ErrUnsupportedLayer)
	}
	c.graph.Inputs = append(c.graph.Inputs, onnx.ValueInfo{Name: l.Name, Type: onnx.TypeFloat, Dims: []onnx.Dim{
		onnx.Named("batch"), onnx.Fixed(int64(*s[3])), onnx.Named("height"), onnx.Named("width"),
	}})
	return tensor{name: l.Name, channels: *s[3], scale: 1}, nil
}

// finish checks the model's input and output and encodes the graph.
func (c *converter) finish(inRef, outRef nodeRef) (*network, error) {
	in, okIn := c.tensors[inRef.Layer]
	out, okOut := c.tensors[outRef.Layer]
	if !okIn || !okOut || len(c.graph.Inputs) != 1 || c.graph.Inputs[0].Name != in.name {
		return nil, fmt.Errorf("%w: input or output layer not found", ErrModelFormat)
	}
	if in.channels != 3 || out.channels != 3 {
		return nil, fmt.Errorf("%w: %d input and %d output channels, want RGB in and out",
			ErrUnsupportedLayer, in.channels, out.channels)
	}
	c.graph.Name = "esrgan"
	c.graph.Outputs = []onnx.ValueInfo{{Name: out.name, Type: onnx.TypeFloat, Dims: []onnx.Dim{
		onnx.Named("batch"), onnx.Fixed(3), onnx.Named("out_height"), onnx.Named("out_width"),
	}}}
	model := onnx.Model{Producer: "castmesh/ai/esrgan", Graph: c.graph}
	b, err := model.Marshal()
	if err != nil {
		return nil, err
	}
	return &network{onnx: b, input: in.name, output: out.name, scale: out.scale, halo: out.halo}, nil
}

func (c *converter) node(name, op string, inputs []string, attrs ...onnx.Attr) {
	c.graph.Nodes = append(c.graph.Nodes, onnx.Node{
		Name: name, OpType: op, Inputs: inputs, Outputs: []string{name}, Attrs: attrs,
	})
}

func names(ts []tensor) []string {
	s := make([]string, len(ts))
	for i, t := range ts {
		s[i] = t.name
	}
	return s
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }
