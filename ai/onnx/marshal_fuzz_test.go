package onnx

import (
	"bytes"
	"errors"
	"math"
	"slices"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"
)

// field is one protobuf field as read back: its number, and its bytes
// (length-delimited) or its value (varint, fixed32).
type field struct {
	num   protowire.Number
	bytes []byte
	value uint64
}

// readFields parses b as one protobuf message, failing the test on bytes
// that are not one.
func readFields(t *testing.T, b []byte) []field {
	t.Helper()
	var out []field
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			t.Fatalf("bad tag: %v", protowire.ParseError(n))
		}
		b = b[n:]
		f := field{num: num}
		switch typ {
		case protowire.VarintType:
			f.value, n = protowire.ConsumeVarint(b)
		case protowire.Fixed32Type:
			var v uint32
			v, n = protowire.ConsumeFixed32(b)
			f.value = uint64(v)
		case protowire.BytesType:
			f.bytes, n = protowire.ConsumeBytes(b)
		default:
			t.Fatalf("field %d: wire type %d", num, typ)
		}
		if n < 0 {
			t.Fatalf("field %d: %v", num, protowire.ParseError(n))
		}
		b = b[n:]
		out = append(out, f)
	}
	return out
}

// only returns the fields numbered num.
func only(fs []field, num protowire.Number) []field {
	return slices.DeleteFunc(slices.Clone(fs), func(f field) bool { return f.num != num })
}

// Issue #12 fuzzing: the ONNX writer. Whatever a model holds, Marshal
// either refuses it with ErrInvalidModel or writes a protobuf message that
// parses, and reads back as the model: node, initializer (name, type,
// dims, raw data), attributes and input shape.
func FuzzMarshal(f *testing.F) {
	f.Add("Add", "c", int64(3), int64(1), int32(TypeFloat), make([]byte, 12), int64(7), "s", float32(0.5))
	f.Add("Gemm", "w", int64(2), int64(2), int32(TypeInt64), make([]byte, 32), int64(-1), "", float32(math.NaN()))
	f.Add("", "", int64(-1), int64(1<<62), int32(99), []byte{1}, int64(math.MinInt64), "\x00\xff", float32(math.Inf(-1)))
	f.Fuzz(func(t *testing.T, op, name string, d0, d1 int64, typ int32, raw []byte, ai int64, as string, af float32) {
		init := Tensor{Name: name, Type: DataType(typ), Dims: []int64{d0, d1}, Raw: raw}
		m := Model{Producer: name, Graph: Graph{
			Name: name,
			Nodes: []Node{{Name: name, OpType: op, Inputs: []string{"x", name}, Outputs: []string{"y"}, Attrs: []Attr{
				AttrInt("i", ai), AttrString("s", as), AttrFloat("f", af), AttrInts("is", d0, d1), AttrFloats("fs", af),
			}}},
			Initializers: []Tensor{init},
			Inputs:       []ValueInfo{{Name: "x", Type: TypeFloat, Dims: []Dim{Named(as), Fixed(d0)}}},
			Outputs:      []ValueInfo{{Name: "y", Type: TypeFloat}},
		}}
		b, err := m.Marshal()
		if err != nil {
			if !errors.Is(err, ErrInvalidModel) {
				t.Fatalf("error %v is not ErrInvalidModel", err)
			}
			return
		}
		model := readFields(t, b)
		graphs := only(model, modelGraph)
		if len(graphs) != 1 {
			t.Fatalf("%d graphs", len(graphs))
		}
		graph := readFields(t, graphs[0].bytes)
		nodes, inits := only(graph, graphNode), only(graph, graphInitializer)
		if len(nodes) != 1 || len(inits) != 1 {
			t.Fatalf("%d nodes, %d initializers", len(nodes), len(inits))
		}
		node := readFields(t, nodes[0].bytes)
		if ops := only(node, nodeOpType); len(ops) != 1 || string(ops[0].bytes) != op {
			t.Fatalf("op type %v, want %q", ops, op)
		}
		attrs := only(node, nodeAttribute)
		if len(attrs) != 5 {
			t.Fatalf("%d attributes, want 5", len(attrs))
		}
		ints := only(readFields(t, attrs[3].bytes), attrIs)
		if len(ints) != 2 || int64(ints[0].value) != d0 || int64(ints[1].value) != d1 {
			t.Fatalf("ints attribute %v, want %d %d", ints, d0, d1)
		}
		if fs := only(readFields(t, attrs[2].bytes), attrF); len(fs) != 1 || uint32(fs[0].value) != math.Float32bits(af) {
			t.Fatalf("float attribute %v, want %v", fs, af)
		}
		tensor := readFields(t, inits[0].bytes)
		dims := only(tensor, tensorDims)
		if len(dims) != 2 || int64(dims[0].value) != d0 || int64(dims[1].value) != d1 {
			t.Fatalf("dims %v, want %d %d", dims, d0, d1)
		}
		if dt := only(tensor, tensorDataType); len(dt) != 1 || int32(dt[0].value) != typ {
			t.Fatalf("data type %v, want %d", dt, typ)
		}
		if names := only(tensor, tensorName); len(names) != 1 || string(names[0].bytes) != name {
			t.Fatalf("tensor name %v, want %q", names, name)
		}
		if rd := only(tensor, tensorRawData); len(rd) != 1 || !bytes.Equal(rd[0].bytes, raw) {
			t.Fatal("raw data changed")
		}
		if len(only(graph, graphInput)) != 1 || len(only(graph, graphOutput)) != 1 {
			t.Fatal("inputs or outputs lost")
		}
	})
}
