package esrgan

import "errors"

// Errors the package returns; callers branch on them with errors.Is. Input
// the caller got wrong wraps pipeline.ErrBadInput or pipeline.ErrWrongModel
// instead.
var (
	// ErrConfig is a Config that cannot work; its message names the key.
	ErrConfig = errors.New("esrgan config")
	// ErrModelFormat is a model.json or weight shard that is malformed.
	ErrModelFormat = errors.New("malformed tfjs model")
	// ErrUnsupportedLayer is a layer, or a layer setting, the converter
	// does not translate to ONNX.
	ErrUnsupportedLayer = errors.New("unsupported layer")
	// ErrClosed is a call on a Model after Close.
	ErrClosed = errors.New("esrgan model closed")
)
