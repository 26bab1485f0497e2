package onnx

import (
	"fmt"
	"math"

	"google.golang.org/protobuf/encoding/protowire"
)

// Field numbers from onnx.proto (ONNX 1.8+); proto2, so repeated scalars
// are written unpacked, which every protobuf parser reads.
const (
	modelIRVersion   = 1
	modelProducer    = 2
	modelGraph       = 7
	modelOpsetImport = 8

	opsetVersion = 2

	graphNode        = 1
	graphName        = 2
	graphInitializer = 5
	graphInput       = 11
	graphOutput      = 12

	nodeInput     = 1
	nodeOutput    = 2
	nodeName      = 3
	nodeOpType    = 4
	nodeAttribute = 5

	attrName   = 1
	attrF      = 2
	attrI      = 3
	attrS      = 4
	attrFs     = 7
	attrIs     = 8
	attrTypeNo = 20

	tensorDims     = 1
	tensorDataType = 2
	tensorName     = 8
	tensorRawData  = 9

	valueName = 1
	valueType = 2

	typeTensor     = 1
	tensorElemType = 1
	tensorShape    = 2
	shapeDim       = 1
	dimValue       = 1
	dimParam       = 2
)

// Marshal encodes m as an ONNX ModelProto, the bytes of a .onnx file.
func (m *Model) Marshal() ([]byte, error) {
	if err := m.validate(); err != nil {
		return nil, err
	}
	ir, opset := m.IRVersion, m.Opset
	if ir == 0 {
		ir = DefaultIRVersion
	}
	if opset == 0 {
		opset = DefaultOpset
	}
	var b []byte
	b = appendVarint(b, modelIRVersion, uint64(ir))
	b = appendString(b, modelProducer, m.Producer)
	b = appendMessage(b, modelGraph, m.Graph.append(nil))
	b = appendMessage(b, modelOpsetImport, appendVarint(nil, opsetVersion, uint64(opset)))
	return b, nil
}

func (m *Model) validate() error {
	g := &m.Graph
	if len(g.Inputs) == 0 || len(g.Outputs) == 0 {
		return fmt.Errorf("%w: graph needs inputs and outputs", ErrInvalidModel)
	}
	for i, n := range g.Nodes {
		if n.OpType == "" || len(n.Outputs) == 0 {
			return fmt.Errorf("%w: node %d (%q) needs an op type and outputs", ErrInvalidModel, i, n.Name)
		}
	}
	for _, t := range g.Initializers {
		if err := t.validate(); err != nil {
			return err
		}
	}
	return nil
}

func (t *Tensor) validate() error {
	n := int64(1)
	for _, d := range t.Dims {
		if d < 0 || (d > 0 && n > math.MaxInt64/d) {
			return fmt.Errorf("%w: tensor %q has dims %v", ErrInvalidModel, t.Name, t.Dims)
		}
		n *= d
	}
	size := int64(t.Type.size())
	if t.Name == "" || size == 0 || n > int64(len(t.Raw))/size || n*size != int64(len(t.Raw)) {
		return fmt.Errorf("%w: tensor %q: %d bytes of type %d do not fill dims %v",
			ErrInvalidModel, t.Name, len(t.Raw), t.Type, t.Dims)
	}
	return nil
}

func (g *Graph) append(b []byte) []byte {
	for i := range g.Nodes {
		b = appendMessage(b, graphNode, g.Nodes[i].append(nil))
	}
	b = appendString(b, graphName, g.Name)
	for i := range g.Initializers {
		b = appendMessage(b, graphInitializer, g.Initializers[i].append(nil))
	}
	for i := range g.Inputs {
		b = appendMessage(b, graphInput, g.Inputs[i].append(nil))
	}
	for i := range g.Outputs {
		b = appendMessage(b, graphOutput, g.Outputs[i].append(nil))
	}
	return b
}

func (n *Node) append(b []byte) []byte {
	for _, s := range n.Inputs {
		b = appendBytes(b, nodeInput, []byte(s))
	}
	for _, s := range n.Outputs {
		b = appendBytes(b, nodeOutput, []byte(s))
	}
	b = appendString(b, nodeName, n.Name)
	b = appendString(b, nodeOpType, n.OpType)
	for i := range n.Attrs {
		b = appendMessage(b, nodeAttribute, n.Attrs[i].append(nil))
	}
	return b
}

func (a *Attr) append(b []byte) []byte {
	b = appendString(b, attrName, a.name)
	switch a.typ {
	case attrFloat:
		b = appendFloat(b, attrF, a.f)
	case attrInt:
		b = appendVarint(b, attrI, uint64(a.i))
	case attrString:
		b = appendBytes(b, attrS, []byte(a.s))
	case attrFloats:
		for _, f := range a.floats {
			b = appendFloat(b, attrFs, f)
		}
	case attrInts:
		for _, v := range a.ints {
			b = appendVarint(b, attrIs, uint64(v))
		}
	}
	return appendVarint(b, attrTypeNo, uint64(a.typ))
}

func (t *Tensor) append(b []byte) []byte {
	for _, d := range t.Dims {
		b = appendVarint(b, tensorDims, uint64(d))
	}
	b = appendVarint(b, tensorDataType, uint64(t.Type))
	b = appendString(b, tensorName, t.Name)
	return appendBytes(b, tensorRawData, t.Raw)
}

func (v *ValueInfo) append(b []byte) []byte {
	var shape []byte
	for _, d := range v.Dims {
		var dim []byte
		if d.Param != "" {
			dim = appendString(nil, dimParam, d.Param)
		} else {
			dim = appendVarint(nil, dimValue, uint64(d.Value))
		}
		shape = appendMessage(shape, shapeDim, dim)
	}
	tensor := appendVarint(nil, tensorElemType, uint64(v.Type))
	tensor = appendMessage(tensor, tensorShape, shape)
	b = appendString(b, valueName, v.Name)
	return appendMessage(b, valueType, appendMessage(nil, typeTensor, tensor))
}

func appendVarint(b []byte, num protowire.Number, v uint64) []byte {
	b = protowire.AppendTag(b, num, protowire.VarintType)
	return protowire.AppendVarint(b, v)
}

func appendFloat(b []byte, num protowire.Number, f float32) []byte {
	b = protowire.AppendTag(b, num, protowire.Fixed32Type)
	return protowire.AppendFixed32(b, math.Float32bits(f))
}

func appendBytes(b []byte, num protowire.Number, v []byte) []byte {
	b = protowire.AppendTag(b, num, protowire.BytesType)
	return protowire.AppendBytes(b, v)
}

// appendString skips an empty string, as proto3 writers do; it is only
// used for optional fields.
func appendString(b []byte, num protowire.Number, s string) []byte {
	if s == "" {
		return b
	}
	return appendBytes(b, num, []byte(s))
}

// appendMessage writes an embedded message, even an empty one: an empty
// TensorShapeProto still says "a tensor of rank 0".
func appendMessage(b []byte, num protowire.Number, msg []byte) []byte {
	return appendBytes(b, num, msg)
}
