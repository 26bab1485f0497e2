// Package onnx writes ONNX models and runs them on onnxruntime's CPU
// execution provider.
//
// The writer (Model, Graph, Node, Tensor, ValueInfo, Attr) encodes the
// handful of onnx.proto messages a converted network needs
// (https://github.com/onnx/onnx/blob/main/onnx/onnx.proto) with protowire,
// so castmesh converts networks in Go and needs no Python or protoc step.
// Float initializers travel as little-endian raw_data; graph inputs may
// name their dimensions (dim_param) so one model serves every image size.
//
// The runtime side wraps github.com/yalue/onnxruntime_go, which dlopens
// libonnxruntime at run time: Init loads the library once per process and
// NewSession compiles a model held in memory.
package onnx
