package esrgan

import (
	"fmt"
	"slices"

	"github.com/castmesh/castmesh/ai/onnx"
)

// conv is Conv2D, stride 1, optionally followed by its activation.
func (c *converter) conv(l kerasLayer, ins []tensor) (tensor, error) {
	in, err := one(ins)
	if err != nil {
		return tensor{}, err
	}
	cfg := l.Config
	if err := checkConv(cfg); err != nil {
		return tensor{}, err
	}
	kh, kw := cfg.KernelSize[0], cfg.KernelSize[1]
	kernel, ok := c.weights[l.Name+"/kernel"]
	if !ok || !slices.Equal(kernel.shape, []int{kh, kw, in.channels, cfg.Filters}) {
		return tensor{}, fmt.Errorf("%w: kernel %v missing or not [%d %d %d %d]",
			ErrModelFormat, kernel.shape, kh, kw, in.channels, cfg.Filters)
	}
	w := onnx.FloatTensor(l.Name+"/kernel", []int64{int64(cfg.Filters), int64(in.channels), int64(kh), int64(kw)},
		toOIHW(kernel.data, kh, kw, in.channels, cfg.Filters))
	c.graph.Initializers = append(c.graph.Initializers, w)
	inputs := []string{in.name, w.Name}
	if cfg.UseBias == nil || *cfg.UseBias {
		bias, ok := c.weights[l.Name+"/bias"]
		if !ok || !slices.Equal(bias.shape, []int{cfg.Filters}) {
			return tensor{}, fmt.Errorf("%w: bias %v missing or not [%d]", ErrModelFormat, bias.shape, cfg.Filters)
		}
		c.graph.Initializers = append(c.graph.Initializers, onnx.FloatTensor(l.Name+"/bias", []int64{int64(cfg.Filters)}, bias.data))
		inputs = append(inputs, l.Name+"/bias")
	}
	top, left, reach := samePads(cfg)
	out := tensor{name: l.Name, channels: cfg.Filters, scale: in.scale, halo: in.halo + ceilDiv(reach, in.scale)}
	convName := l.Name
	if cfg.Activation != "linear" && cfg.Activation != "" {
		convName = l.Name + "/conv"
	}
	c.node(convName, "Conv", inputs,
		onnx.AttrInts("kernel_shape", int64(kh), int64(kw)),
		onnx.AttrInts("dilations", int64(cfg.DilationRate[0]), int64(cfg.DilationRate[1])),
		onnx.AttrInts("pads", int64(top), int64(left),
			int64((kh-1)*cfg.DilationRate[0]-top), int64((kw-1)*cfg.DilationRate[1]-left)))
	if convName == l.Name {
		return out, nil
	}
	return c.activation(l.Name, cfg.Activation, []tensor{{name: convName, channels: out.channels, scale: out.scale, halo: out.halo}})
}

// checkConv accepts the Conv2D settings whose output has the input's size:
// stride 1 with "same" padding (or a 1×1 kernel), channels last, no groups.
func checkConv(cfg layerConfig) error {
	switch {
	case len(cfg.KernelSize) != 2 || cfg.KernelSize[0] < 1 || cfg.KernelSize[1] < 1 ||
		cfg.KernelSize[0] > maxKernel || cfg.KernelSize[1] > maxKernel:
		return fmt.Errorf("%w: kernel size %v", ErrUnsupportedLayer, cfg.KernelSize)
	case cfg.Filters < 1 || cfg.Filters > maxChannels:
		return fmt.Errorf("%w: %d filters", ErrUnsupportedLayer, cfg.Filters)
	case !slices.Equal(cfg.Strides, []int{1, 1}) || (cfg.Groups != 0 && cfg.Groups != 1) || !channelsLast(cfg):
		return fmt.Errorf("%w: strides %v, groups %d, data format %q", ErrUnsupportedLayer, cfg.Strides, cfg.Groups, cfg.DataFormat)
	case len(cfg.DilationRate) != 2 || cfg.DilationRate[0] < 1 || cfg.DilationRate[1] < 1 ||
		cfg.DilationRate[0] > maxKernel || cfg.DilationRate[1] > maxKernel:
		return fmt.Errorf("%w: dilation %v", ErrUnsupportedLayer, cfg.DilationRate)
	case cfg.Padding != "same" && (cfg.Padding != "valid" || cfg.KernelSize[0] != 1 || cfg.KernelSize[1] != 1):
		return fmt.Errorf("%w: padding %q of a %v kernel changes the image size", ErrUnsupportedLayer, cfg.Padding, cfg.KernelSize)
	}
	return nil
}

// samePads is TensorFlow's "same" padding at stride 1: the kernel's extra
// rows and columns split with the odd one at the bottom and right. reach
// is the farthest the kernel looks from its centre.
func samePads(cfg layerConfig) (top, left, reach int) {
	th := (cfg.KernelSize[0] - 1) * cfg.DilationRate[0]
	tw := (cfg.KernelSize[1] - 1) * cfg.DilationRate[1]
	return th / 2, tw / 2, max(th-th/2, tw-tw/2)
}

// toOIHW transposes a Keras kernel [kh, kw, in, out] to ONNX's
// [out, in, kh, kw].
func toOIHW(k []float32, kh, kw, in, out int) []float32 {
	dst := make([]float32, len(k))
	for y := range kh {
		for x := range kw {
			for i := range in {
				for o := range out {
					dst[((o*in+i)*kh+y)*kw+x] = k[((y*kw+x)*in+i)*out+o]
				}
			}
		}
	}
	return dst
}
