package onnx

import (
	"context"
	"fmt"

	ort "github.com/yalue/onnxruntime_go"
)

// Float32 is a dense float32 tensor in row-major order.
type Float32 struct {
	Shape []int64
	Data  []float32
}

// SessionConfig says how to compile a model.
type SessionConfig struct {
	// Inputs and Outputs name the graph's inputs and outputs, in the order
	// Run takes and returns them.
	Inputs  []string
	Outputs []string
	// IntraOpThreads is the number of threads one operator may use; 0
	// lets onnxruntime pick (one per physical core).
	IntraOpThreads int
}

// Session is a compiled model. Run may be called from several goroutines
// at once (onnxruntime sessions are thread-safe); Close must not overlap a
// Run.
type Session struct {
	s    *ort.DynamicAdvancedSession
	nIn  int
	nOut int
}

// NewSession compiles the ONNX model held in model; Init must have
// succeeded.
func NewSession(model []byte, cfg SessionConfig) (*Session, error) {
	opts, err := ort.NewSessionOptions()
	if err != nil {
		return nil, fmt.Errorf("%w: session options: %w", ErrRuntime, err)
	}
	defer func() { _ = opts.Destroy() }() // only fails on options already destroyed
	if err := configure(opts, cfg); err != nil {
		return nil, fmt.Errorf("%w: session options: %w", ErrRuntime, err)
	}
	s, err := ort.NewDynamicAdvancedSessionWithONNXData(model, cfg.Inputs, cfg.Outputs, opts)
	if err != nil {
		return nil, fmt.Errorf("%w: create session: %w", ErrRuntime, err)
	}
	return &Session{s: s, nIn: len(cfg.Inputs), nOut: len(cfg.Outputs)}, nil
}

func configure(opts *ort.SessionOptions, cfg SessionConfig) error {
	if cfg.IntraOpThreads > 0 {
		return opts.SetIntraOpNumThreads(cfg.IntraOpThreads)
	}
	return nil
}

// Close frees the session.
func (s *Session) Close() error {
	if err := s.s.Destroy(); err != nil {
		return fmt.Errorf("%w: destroy session: %w", ErrRuntime, err)
	}
	return nil
}

// Run runs the model on inputs and returns its outputs. When ctx ends
// during the run, onnxruntime is told to stop and Run returns ctx's error.
func (s *Session) Run(ctx context.Context, inputs ...Float32) ([]Float32, error) {
	if len(inputs) != s.nIn {
		return nil, fmt.Errorf("%w: %d inputs for a model of %d", ErrShape, len(inputs), s.nIn)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	in, err := toValues(inputs)
	defer destroy(in)
	if err != nil {
		return nil, err
	}
	out := make([]ort.Value, s.nOut)
	defer destroy(out)
	if err := s.run(ctx, in, out); err != nil {
		return nil, err
	}
	return fromValues(out)
}

// run is one RunWithOptions whose terminate flag follows ctx. The
// callback may already be running when the run ends; run waits for it so
// the options are not freed under it.
func (s *Session) run(ctx context.Context, in, out []ort.Value) error {
	ro, err := ort.NewRunOptions()
	if err != nil {
		return fmt.Errorf("%w: run options: %w", ErrRuntime, err)
	}
	defer func() { _ = ro.Destroy() }() // only fails on options already destroyed
	done := make(chan struct{})
	stop := context.AfterFunc(ctx, func() {
		defer close(done)
		_ = ro.Terminate() // only fails on destroyed options, which cannot happen here
	})
	err = s.s.RunWithOptions(in, out, ro)
	if !stop() {
		<-done
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		return ctxErr
	}
	if err != nil {
		return fmt.Errorf("%w: run: %w", ErrRuntime, err)
	}
	return nil
}

func toValues(ts []Float32) ([]ort.Value, error) {
	vs := make([]ort.Value, len(ts))
	for i, t := range ts {
		n := int64(1)
		for _, d := range t.Shape {
			n *= d
		}
		if n != int64(len(t.Data)) {
			return vs, fmt.Errorf("%w: input %d: %d values for shape %v", ErrShape, i, len(t.Data), t.Shape)
		}
		v, err := ort.NewTensor(ort.NewShape(t.Shape...), t.Data)
		if err != nil {
			return vs, fmt.Errorf("%w: input %d: %w", ErrRuntime, i, err)
		}
		vs[i] = v
	}
	return vs, nil
}

// fromValues takes the outputs' data; onnxruntime_go has already copied
// it into Go memory, which outlives Destroy.
func fromValues(vs []ort.Value) ([]Float32, error) {
	ts := make([]Float32, len(vs))
	for i, v := range vs {
		t, ok := v.(*ort.Tensor[float32])
		if !ok {
			return nil, fmt.Errorf("%w: output %d is not a float32 tensor", ErrShape, i)
		}
		ts[i] = Float32{Shape: t.GetShape().Clone(), Data: t.GetData()}
	}
	return ts, nil
}

func destroy(vs []ort.Value) {
	for _, v := range vs {
		if v != nil {
			_ = v.Destroy() // only fails on an already-destroyed value
		}
	}
}
