package esrgan

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// The TensorFlow.js layers-model format (tfjs-converter's
// keras_h5_conversion; tfjs-layers models/model_serialization): model.json
// holds the Keras model config under modelTopology and lists the weights,
// in shard order, under weightsManifest.

// tfjsModel is model.json.
type tfjsModel struct {
	Format   string `json:"format"`
	Topology struct {
		ModelConfig struct {
			ClassName string `json:"class_name"`
			Config    struct {
				Layers       []kerasLayer `json:"layers"`
				InputLayers  []nodeRef    `json:"input_layers"`
				OutputLayers []nodeRef    `json:"output_layers"`
			} `json:"config"`
		} `json:"model_config"`
	} `json:"modelTopology"`
	WeightsManifest []weightGroup `json:"weightsManifest"`
}

// kerasLayer is one layer of a Keras functional model.
type kerasLayer struct {
	ClassName string      `json:"class_name"`
	Name      string      `json:"name"`
	Config    layerConfig `json:"config"`
	// InboundNodes lists each call of the layer, and per call its
	// inputs; a layer of this network is called once.
	InboundNodes [][]nodeRef `json:"inbound_nodes"`
}

// layerConfig holds the settings of every layer class the converter
// knows; each class reads its own.
type layerConfig struct {
	BatchInputShape []*int `json:"batch_input_shape"`
	Filters         int    `json:"filters"`
	KernelSize      []int  `json:"kernel_size"`
	Strides         []int  `json:"strides"`
	Padding         string `json:"padding"`
	DataFormat      string `json:"data_format"`
	DilationRate    []int  `json:"dilation_rate"`
	Groups          int    `json:"groups"`
	Activation      string `json:"activation"`
	UseBias         *bool  `json:"use_bias"`
	Axis            *int   `json:"axis"`
	Size            []int  `json:"size"`
	Interpolation   string `json:"interpolation"`
}

// nodeRef points at a layer's output: [layer name, call index, tensor
// index, kwargs], the kwargs optional.
type nodeRef struct {
	Layer  string
	Node   int
	Tensor int
}

// UnmarshalJSON reads the array form.
func (r *nodeRef) UnmarshalJSON(b []byte) error {
	var parts []json.RawMessage
	if err := json.Unmarshal(b, &parts); err != nil {
		return err
	}
	if len(parts) < 3 || len(parts) > 4 {
		return fmt.Errorf("%w: node reference %s needs [layer, node, tensor]", ErrModelFormat, b)
	}
	if err := json.Unmarshal(parts[0], &r.Layer); err != nil {
		return err
	}
	if err := json.Unmarshal(parts[1], &r.Node); err != nil {
		return err
	}
	return json.Unmarshal(parts[2], &r.Tensor)
}

// weightGroup is one entry of weightsManifest: shard files whose
// concatenation holds the listed weights back to back.
type weightGroup struct {
	Paths   []string     `json:"paths"`
	Weights []weightSpec `json:"weights"`
}

// weightSpec is one weight in a group.
type weightSpec struct {
	Name  string `json:"name"`
	Shape []int  `json:"shape"`
	DType string `json:"dtype"`
	// Quantization is set for uint8/uint16/float16-quantized weights,
	// which the converter does not read.
	Quantization json.RawMessage `json:"quantization"`
}

// parseModel reads model.json. It checks the format, not the layers:
// convert does that.
func parseModel(data []byte) (*tfjsModel, error) {
	var m tfjsModel
	if err := json.NewDecoder(bytes.NewReader(data)).Decode(&m); err != nil {
		return nil, fmt.Errorf("%w: model.json: %w", ErrModelFormat, err)
	}
	if m.Format != "layers-model" {
		return nil, fmt.Errorf("%w: format %q, want layers-model", ErrModelFormat, m.Format)
	}
	mc := &m.Topology.ModelConfig
	if mc.ClassName != "Functional" && mc.ClassName != "Model" {
		return nil, fmt.Errorf("%w: model class %q, want Functional", ErrUnsupportedLayer, mc.ClassName)
	}
	if len(mc.Config.InputLayers) != 1 || len(mc.Config.OutputLayers) != 1 {
		return nil, fmt.Errorf("%w: %d inputs and %d outputs, want 1 and 1",
			ErrUnsupportedLayer, len(mc.Config.InputLayers), len(mc.Config.OutputLayers))
	}
	return &m, nil
}
