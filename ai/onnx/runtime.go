package onnx

import (
	"fmt"
	"sync"

	ort "github.com/yalue/onnxruntime_go"
)

// runtimeState mirrors onnxruntime's own process-wide state: the library
// is dlopened once and its OrtEnv (kept by onnxruntime_go in C globals) is
// a singleton that every session must share. Destroying and recreating it
// while another goroutine holds a session would crash, so the package
// loads it at most once and never tears it down.
type runtimeState struct {
	once sync.Once
	path string
	err  error
}

//nolint:gochecknoglobals // onnxruntime's environment is process-global (see runtimeState); this only records the one load.
var loaded runtimeState

// Init loads the onnxruntime shared library at libPath and creates the
// process's environment; it does the work once and returns the first
// call's result to every later call with the same path. A later call with
// a different path fails with ErrLibraryMismatch. Every user of
// onnxruntime in the process must go through Init.
func Init(libPath string) error {
	loaded.once.Do(func() {
		loaded.path = libPath
		ort.SetSharedLibraryPath(libPath)
		if err := ort.InitializeEnvironment(ort.WithLogLevelError()); err != nil {
			loaded.err = fmt.Errorf("%w: load %s: %w", ErrRuntime, libPath, err)
		}
	})
	if loaded.path != libPath {
		return fmt.Errorf("%w: loaded %s, asked for %s", ErrLibraryMismatch, loaded.path, libPath)
	}
	return loaded.err
}

// Version is the loaded library's version, e.g. "1.28.2", or "" before
// Init has succeeded.
func Version() string { return ort.GetVersion() }
