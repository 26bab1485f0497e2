package onnx

import "errors"

// Errors the package returns; callers branch on them with errors.Is.
var (
	// ErrInvalidModel is a Model that cannot be encoded: a node without an
	// op type, a tensor whose data does not fill its dimensions.
	ErrInvalidModel = errors.New("invalid onnx model")
	// ErrRuntime is onnxruntime failing to load, compile or run a model.
	ErrRuntime = errors.New("onnxruntime")
	// ErrLibraryMismatch is Init asked for a second, different library:
	// onnxruntime's environment is process-wide, so the first one stays.
	ErrLibraryMismatch = errors.New("onnxruntime already loaded from another path")
	// ErrShape is a tensor whose data does not match its shape, or a run
	// given the wrong number of inputs.
	ErrShape = errors.New("tensor shape mismatch")
)
