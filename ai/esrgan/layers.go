package esrgan

import (
	"fmt"

	"github.com/castmesh/castmesh/ai/onnx"
)

// The Keras layers the converter translates, one ONNX operator (or two)
// each. Keras tensors are NHWC and ONNX's NCHW, so channel axes move from
// 3 to 1 and kernels from [kh, kw, in, out] to [out, in, kh, kw].

func one(ins []tensor) (tensor, error) {
	if len(ins) != 1 {
		return tensor{}, fmt.Errorf("%w: %d inputs, want 1", ErrModelFormat, len(ins))
	}
	return ins[0], nil
}

// activation is a standalone Activation layer, or the one a Conv2D ends with.
func (c *converter) activation(name, fn string, ins []tensor) (tensor, error) {
	in, err := one(ins)
	if err != nil {
		return tensor{}, err
	}
	switch fn {
	case "relu":
		c.node(name, "Relu", []string{in.name})
	case "linear":
		c.node(name, "Identity", []string{in.name})
	default:
		return tensor{}, fmt.Errorf("%w: activation %q", ErrUnsupportedLayer, fn)
	}
	in.name = name
	return in, nil
}

// sameScale checks that merged tensors have one resolution, and returns
// it with the widest halo.
func sameScale(ins []tensor) (scale, halo int, err error) {
	for _, t := range ins {
		if t.scale != ins[0].scale {
			return 0, 0, fmt.Errorf("%w: inputs at different resolutions", ErrModelFormat)
		}
		halo = max(halo, t.halo)
	}
	return ins[0].scale, halo, nil
}

func (c *converter) concat(l kerasLayer, ins []tensor) (tensor, error) {
	if a := l.Config.Axis; a == nil || (*a != 3 && *a != -1) {
		return tensor{}, fmt.Errorf("%w: concatenation not along channels", ErrUnsupportedLayer)
	}
	scale, halo, err := sameScale(ins)
	if err != nil {
		return tensor{}, err
	}
	channels := 0
	for _, t := range ins {
		if channels += t.channels; channels > maxChannels {
			return tensor{}, fmt.Errorf("%w: more than %d channels", ErrUnsupportedLayer, maxChannels)
		}
	}
	c.node(l.Name, "Concat", names(ins), onnx.AttrInt("axis", 1))
	return tensor{name: l.Name, channels: channels, scale: scale, halo: halo}, nil
}

func (c *converter) sum(l kerasLayer, ins []tensor) (tensor, error) {
	if len(ins) < 2 {
		return tensor{}, fmt.Errorf("%w: Add of %d inputs", ErrModelFormat, len(ins))
	}
	scale, halo, err := sameScale(ins)
	if err != nil {
		return tensor{}, err
	}
	for _, t := range ins {
		if t.channels != ins[0].channels {
			return tensor{}, fmt.Errorf("%w: Add of %d and %d channels", ErrModelFormat, ins[0].channels, t.channels)
		}
	}
	op := "Add"
	if len(ins) > 2 {
		op = "Sum"
	}
	c.node(l.Name, op, names(ins))
	return tensor{name: l.Name, channels: ins[0].channels, scale: scale, halo: halo}, nil
}

// upsample is UpSampling2D with nearest interpolation: each pixel becomes
// an s × s block, which is Resize with asymmetric coordinates rounded down.
func (c *converter) upsample(l kerasLayer, ins []tensor) (tensor, error) {
	in, err := one(ins)
	if err != nil {
		return tensor{}, err
	}
	cfg := l.Config
	if len(cfg.Size) != 2 || cfg.Size[0] != cfg.Size[1] || cfg.Size[0] < 1 || cfg.Size[0] > maxUpscale {
		return tensor{}, fmt.Errorf("%w: upsampling size %v, want [s, s] with s in 1..%d", ErrUnsupportedLayer, cfg.Size, maxUpscale)
	}
	if (cfg.Interpolation != "nearest" && cfg.Interpolation != "") || !channelsLast(cfg) {
		return tensor{}, fmt.Errorf("%w: %q upsampling of %q data", ErrUnsupportedLayer, cfg.Interpolation, cfg.DataFormat)
	}
	s := cfg.Size[0]
	scales := onnx.FloatTensor(l.Name+"/scales", []int64{4}, []float32{1, 1, float32(s), float32(s)})
	c.graph.Initializers = append(c.graph.Initializers, scales)
	c.node(l.Name, "Resize", []string{in.name, "", scales.Name},
		onnx.AttrString("mode", "nearest"),
		onnx.AttrString("coordinate_transformation_mode", "asymmetric"),
		onnx.AttrString("nearest_mode", "floor"))
	in.name, in.scale = l.Name, in.scale*s
	if in.scale > maxUpscale {
		return tensor{}, fmt.Errorf("%w: upscales more than %d×", ErrUnsupportedLayer, maxUpscale)
	}
	return in, nil
}

func channelsLast(cfg layerConfig) bool {
	return cfg.DataFormat == "channels_last" || cfg.DataFormat == ""
}
