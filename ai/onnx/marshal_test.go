package onnx

import (
	"errors"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"
)

func TestMarshalTopLevelFields(t *testing.T) {
	m := addModel()
	b, err := m.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	fields := map[protowire.Number][]byte{}
	var ir uint64
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		b = b[n:]
		switch typ {
		case protowire.VarintType:
			v, n := protowire.ConsumeVarint(b)
			ir, b = v, b[n:]
		case protowire.BytesType:
			v, n := protowire.ConsumeBytes(b)
			fields[num], b = v, b[n:]
		default:
			t.Fatalf("field %d has wire type %d", num, typ)
		}
	}
	if ir != DefaultIRVersion {
		t.Errorf("ir_version = %d, want %d", ir, DefaultIRVersion)
	}
	opset := fields[modelOpsetImport]
	num, _, n := protowire.ConsumeTag(opset)
	v, _ := protowire.ConsumeVarint(opset[n:])
	if num != opsetVersion || v != DefaultOpset {
		t.Errorf("opset_import field %d = %d, want %d = %d", num, v, opsetVersion, DefaultOpset)
	}
	if len(fields[modelGraph]) == 0 {
		t.Error("no graph")
	}
}

func TestMarshalRejects(t *testing.T) {
	cases := []struct {
		name   string
		modify func(m *Model)
	}{
		{"no op type", func(m *Model) { m.Graph.Nodes[0].OpType = "" }},
		{"no outputs", func(m *Model) { m.Graph.Outputs = nil }},
		{"short tensor", func(m *Model) { m.Graph.Initializers[0].Dims = []int64{2} }},
		{"negative dim", func(m *Model) { m.Graph.Initializers[0].Dims = []int64{-1} }},
		{"huge dims", func(m *Model) { m.Graph.Initializers[0].Dims = []int64{1 << 62, 1 << 62} }},
		{"unknown type", func(m *Model) { m.Graph.Initializers[0].Type = 99 }},
		{"unnamed tensor", func(m *Model) { m.Graph.Initializers[0].Name = "" }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := addModel()
			c.modify(&m)
			if _, err := m.Marshal(); !errors.Is(err, ErrInvalidModel) {
				t.Fatalf("err = %v, want ErrInvalidModel", err)
			}
		})
	}
}

func TestTensorRaw(t *testing.T) {
	f := FloatTensor("f", []int64{2}, []float32{1, -2})
	if want := []byte{0, 0, 0x80, 0x3f, 0, 0, 0, 0xc0}; string(f.Raw) != string(want) {
		t.Errorf("float raw = %x, want %x", f.Raw, want)
	}
	i := Int64Tensor("i", []int64{1}, []int64{-1})
	if want := []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}; string(i.Raw) != string(want) {
		t.Errorf("int64 raw = %x, want %x", i.Raw, want)
	}
}

// addModel is y = x + c with x of shape [N, 3], c = [1, 2, 3].
func addModel() Model {
	return Model{
		Producer: "castmesh-test",
		Graph: Graph{
			Name:         "add",
			Nodes:        []Node{{Name: "add", OpType: "Add", Inputs: []string{"x", "c"}, Outputs: []string{"y"}}},
			Initializers: []Tensor{FloatTensor("c", []int64{3}, []float32{1, 2, 3})},
			Inputs:       []ValueInfo{{Name: "x", Type: TypeFloat, Dims: []Dim{Named("N"), Fixed(3)}}},
			Outputs:      []ValueInfo{{Name: "y", Type: TypeFloat, Dims: []Dim{Named("N"), Fixed(3)}}},
		},
	}
}
