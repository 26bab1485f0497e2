package onnx

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/castmesh/castmesh/test/fixture"
)

// initRuntime loads the setup script's onnxruntime, skipping without it.
func initRuntime(t *testing.T) {
	t.Helper()
	lib := filepath.Join(fixture.AIAssets(t), "onnxruntime", "libonnxruntime.so")
	if err := Init(lib); err != nil {
		t.Fatal(err)
	}
}

func TestInitOtherPath(t *testing.T) {
	initRuntime(t)
	if err := Init("/nonexistent/libonnxruntime.so"); !errors.Is(err, ErrLibraryMismatch) {
		t.Fatalf("err = %v, want ErrLibraryMismatch", err)
	}
	if v := Version(); v == "" {
		t.Error("no version")
	}
}

// graph is a one-node model with one float input x and one output y.
func graph(node Node, inits []Tensor, in, out []Dim) Model {
	node.Inputs = append([]string{"x"}, node.Inputs...)
	node.Outputs = []string{"y"}
	return Model{Graph: Graph{
		Name:         node.OpType,
		Nodes:        []Node{node},
		Initializers: inits,
		Inputs:       []ValueInfo{{Name: "x", Type: TypeFloat, Dims: in}},
		Outputs:      []ValueInfo{{Name: "y", Type: TypeFloat, Dims: out}},
	}}
}

func nchw() []Dim { return []Dim{Fixed(1), Fixed(1), Named("H"), Named("W")} }

func TestRunOperators(t *testing.T) {
	initRuntime(t)
	cases := []struct {
		name  string
		model Model
		in    Float32
		want  Float32
	}{
		{
			name:  "add broadcast",
			model: addModel(),
			in:    Float32{Shape: []int64{2, 3}, Data: []float32{0, 0, 0, 10, 20, 30}},
			want:  Float32{Shape: []int64{2, 3}, Data: []float32{1, 2, 3, 11, 22, 33}},
		},
		{
			name: "conv 3x3 same padding",
			model: graph(Node{OpType: "Conv", Inputs: []string{"w", "b"}, Attrs: []Attr{
				AttrInts("kernel_shape", 3, 3), AttrInts("pads", 1, 1, 1, 1),
			}}, []Tensor{
				FloatTensor("w", []int64{1, 1, 3, 3}, slices.Repeat([]float32{1}, 9)),
				FloatTensor("b", []int64{1}, []float32{0.5}),
			}, nchw(), nchw()),
			in: Float32{Shape: []int64{1, 1, 3, 4}, Data: slices.Repeat([]float32{1}, 12)},
			want: Float32{Shape: []int64{1, 1, 3, 4}, Data: []float32{
				4.5, 6.5, 6.5, 4.5,
				6.5, 9.5, 9.5, 6.5,
				4.5, 6.5, 6.5, 4.5,
			}},
		},
		{
			name: "resize nearest x2",
			model: graph(Node{OpType: "Resize", Inputs: []string{"", "scales"}, Attrs: []Attr{
				AttrString("mode", "nearest"),
				AttrString("coordinate_transformation_mode", "asymmetric"),
				AttrString("nearest_mode", "floor"),
			}}, []Tensor{FloatTensor("scales", []int64{4}, []float32{1, 1, 2, 2})}, nchw(), nchw()),
			in: Float32{Shape: []int64{1, 1, 2, 2}, Data: []float32{1, 2, 3, 4}},
			want: Float32{Shape: []int64{1, 1, 4, 4}, Data: []float32{
				1, 1, 2, 2,
				1, 1, 2, 2,
				3, 3, 4, 4,
				3, 3, 4, 4,
			}},
		},
		{
			name: "leaky relu float attribute",
			model: graph(Node{OpType: "LeakyRelu", Attrs: []Attr{AttrFloat("alpha", 0.25)}},
				nil, nchw(), nchw()),
			in:   Float32{Shape: []int64{1, 1, 1, 3}, Data: []float32{-4, 0, 4}},
			want: Float32{Shape: []int64{1, 1, 1, 3}, Data: []float32{-1, 0, 4}},
		},
		{
			name: "reshape int64 tensor",
			model: graph(Node{OpType: "Reshape", Inputs: []string{"shape"}},
				[]Tensor{Int64Tensor("shape", []int64{2}, []int64{-1, 2})},
				[]Dim{Named("N")}, []Dim{Named("M"), Fixed(2)}),
			in:   Float32{Shape: []int64{4}, Data: []float32{1, 2, 3, 4}},
			want: Float32{Shape: []int64{2, 2}, Data: []float32{1, 2, 3, 4}},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := runOnce(t, c.model, c.in)
			if !slices.Equal(got.Shape, c.want.Shape) || !slices.Equal(got.Data, c.want.Data) {
				t.Errorf("got %v %v, want %v %v", got.Shape, got.Data, c.want.Shape, c.want.Data)
			}
		})
	}
}

func runOnce(t *testing.T, m Model, in Float32) Float32 {
	t.Helper()
	s := newSession(t, m)
	out, err := s.Run(t.Context(), in)
	if err != nil {
		t.Fatal(err)
	}
	return out[0]
}

func newSession(t *testing.T, m Model) *Session {
	t.Helper()
	b, err := m.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewSession(b, SessionConfig{Inputs: []string{"x"}, Outputs: []string{"y"}, IntraOpThreads: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	})
	return s
}

func TestRunRejectsBadInput(t *testing.T) {
	initRuntime(t)
	s := newSession(t, addModel())
	if _, err := s.Run(t.Context(), Float32{Shape: []int64{2, 3}, Data: []float32{1}}); !errors.Is(err, ErrShape) {
		t.Errorf("short data: err = %v, want ErrShape", err)
	}
	if _, err := s.Run(t.Context()); !errors.Is(err, ErrShape) {
		t.Errorf("no inputs: err = %v, want ErrShape", err)
	}
	if _, err := s.Run(t.Context(), Float32{Shape: []int64{1, 4}, Data: make([]float32, 4)}); !errors.Is(err, ErrRuntime) {
		t.Errorf("wrong shape: err = %v, want ErrRuntime", err)
	}
	if _, err := NewSession([]byte("not onnx"), SessionConfig{Inputs: []string{"x"}, Outputs: []string{"y"}}); !errors.Is(err, ErrRuntime) {
		t.Errorf("garbage model: err = %v, want ErrRuntime", err)
	}
}

// TestRunStopsOnContext runs a chain of convolutions that takes seconds and
// checks that a deadline stops it between operators.
func TestRunStopsOnContext(t *testing.T) {
	initRuntime(t)
	const layers, ch, side = 32, 64, 256
	m := Model{Graph: Graph{
		Inputs:  []ValueInfo{{Name: "x", Type: TypeFloat, Dims: []Dim{Fixed(1), Fixed(ch), Named("H"), Named("W")}}},
		Outputs: []ValueInfo{{Name: "y", Type: TypeFloat}},
	}}
	prev := "x"
	for i := range layers {
		w := FloatTensor(fmt.Sprintf("w%d", i), []int64{ch, ch, 3, 3}, make([]float32, ch*ch*9))
		out := fmt.Sprintf("t%d", i)
		if i == layers-1 {
			out = "y"
		}
		m.Graph.Initializers = append(m.Graph.Initializers, w)
		m.Graph.Nodes = append(m.Graph.Nodes, Node{
			OpType: "Conv", Inputs: []string{prev, w.Name}, Outputs: []string{out},
			Attrs: []Attr{AttrInts("pads", 1, 1, 1, 1)},
		})
		prev = out
	}
	s := newSession(t, m)
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := s.Run(ctx, Float32{Shape: []int64{1, ch, side, side}, Data: make([]float32, ch*side*side)})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want DeadlineExceeded", err)
	}
	// Unstopped, 32 convolutions of 4.8 GFLOP each take far longer than
	// this on any CPU; onnxruntime checks the flag between operators.
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("stopped after %v", took)
	}
	if _, err := s.Run(ctx); err == nil {
		t.Error("run on an ended context succeeded")
	}
}
