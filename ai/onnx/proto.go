package onnx

import (
	"encoding/binary"
	"math"
)

// The versions Model uses when its fields are left zero: IR version 7
// (ONNX 1.8) and the default-domain opset 13, which every onnxruntime
// since 1.8 runs and which has Resize with coordinate_transformation_mode.
const (
	DefaultIRVersion = 7
	DefaultOpset     = 13
)

// DataType is a tensor element type (onnx.proto TensorProto.DataType).
type DataType int32

// The element types this package writes.
const (
	TypeFloat DataType = 1
	TypeInt64 DataType = 7
)

// size is the width of one element in bytes.
func (t DataType) size() int {
	switch t {
	case TypeFloat:
		return 4
	case TypeInt64:
		return 8
	}
	return 0
}

// Model is an ONNX ModelProto with one graph in the default domain.
type Model struct {
	// IRVersion is the ONNX IR version; 0 means DefaultIRVersion.
	IRVersion int64
	// Opset is the default domain's opset version; 0 means DefaultOpset.
	Opset    int64
	Producer string
	Graph    Graph
}

// Graph is a GraphProto: nodes in topological order, the constant tensors
// they read (initializers), and the graph's inputs and outputs.
type Graph struct {
	Name         string
	Nodes        []Node
	Initializers []Tensor
	Inputs       []ValueInfo
	Outputs      []ValueInfo
}

// Node is one operator (NodeProto). An empty string in Inputs is an
// optional input left out, as the ONNX spec allows.
type Node struct {
	Name    string
	OpType  string
	Inputs  []string
	Outputs []string
	Attrs   []Attr
}

// Tensor is a constant tensor (TensorProto) stored as raw little-endian
// data.
type Tensor struct {
	Name string
	Type DataType
	Dims []int64
	Raw  []byte
}

// FloatTensor returns a float32 tensor of the given dimensions, row-major.
func FloatTensor(name string, dims []int64, data []float32) Tensor {
	raw := make([]byte, 0, 4*len(data))
	for _, v := range data {
		raw = binary.LittleEndian.AppendUint32(raw, math.Float32bits(v))
	}
	return Tensor{Name: name, Type: TypeFloat, Dims: dims, Raw: raw}
}

// Int64Tensor returns an int64 tensor of the given dimensions, row-major.
func Int64Tensor(name string, dims []int64, data []int64) Tensor {
	raw := make([]byte, 0, 8*len(data))
	for _, v := range data {
		raw = binary.LittleEndian.AppendUint64(raw, uint64(v))
	}
	return Tensor{Name: name, Type: TypeInt64, Dims: dims, Raw: raw}
}

// ValueInfo names a graph input or output and its tensor type.
type ValueInfo struct {
	Name string
	Type DataType
	Dims []Dim
}

// Dim is one dimension of a ValueInfo: a fixed size, or a named size
// (Param) that the runtime takes from the tensor it is given.
type Dim struct {
	Value int64
	Param string
}

// Fixed is a dimension of size n.
func Fixed(n int64) Dim { return Dim{Value: n} }

// Named is a dimension whose size is known only at run time.
func Named(param string) Dim { return Dim{Param: param} }

// attrType is AttributeProto.AttributeType.
type attrType int32

const (
	attrFloat  attrType = 1
	attrInt    attrType = 2
	attrString attrType = 3
	attrFloats attrType = 6
	attrInts   attrType = 7
)

// Attr is a node attribute (AttributeProto); make one with AttrInt,
// AttrInts, AttrFloat, AttrFloats or AttrString.
type Attr struct {
	name   string
	typ    attrType
	i      int64
	f      float32
	s      string
	ints   []int64
	floats []float32
}

// AttrInt is an integer attribute.
func AttrInt(name string, v int64) Attr { return Attr{name: name, typ: attrInt, i: v} }

// AttrInts is a list-of-integers attribute.
func AttrInts(name string, v ...int64) Attr { return Attr{name: name, typ: attrInts, ints: v} }

// AttrFloat is a float attribute.
func AttrFloat(name string, v float32) Attr { return Attr{name: name, typ: attrFloat, f: v} }

// AttrFloats is a list-of-floats attribute.
func AttrFloats(name string, v ...float32) Attr {
	return Attr{name: name, typ: attrFloats, floats: v}
}

// AttrString is a string attribute.
func AttrString(name, v string) Attr { return Attr{name: name, typ: attrString, s: v} }
