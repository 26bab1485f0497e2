package esrgan

import (
	"fmt"
	"path/filepath"
	"strconv"
)

// Config configures a Model.
type Config struct {
	// AssetsDir is the unpacked @upscalerjs/esrgan-slim package: the folder
	// holding models/x2/model.json.
	AssetsDir string `yaml:"assets_dir"`
	// Library is the onnxruntime shared library.
	Library string `yaml:"onnxruntime_library"`
	// Scale is the upscale factor: 2 or 4.
	Scale int `yaml:"scale"`
	// TileSize is the side, in input pixels, of the part of the image each
	// network run produces.
	TileSize int `yaml:"tile_size"`
	// TilePad is the margin, in input pixels, each run reads around its
	// tile; it must cover the network's receptive field or tiles show
	// seams (Load checks).
	TilePad int `yaml:"tile_pad"`
	// Threads is onnxruntime's intra-op thread count; 0 means one per
	// physical core.
	Threads int `yaml:"threads"`
	// MaxInputPixels bounds an input image (width × height). The output
	// image is held in memory: 4 × Scale² bytes per input pixel.
	MaxInputPixels int `yaml:"max_input_pixels"`
}

// DefaultConfig returns the defaults.
func DefaultConfig() Config {
	return Config{
		// Where the setup script unpacks the npm packages, relative to the
		// repository root.
		AssetsDir: filepath.Join(".tools", "ai", "esrgan-slim"),
		Library:   filepath.Join(".tools", "ai", "onnxruntime", "libonnxruntime.so"),
		Scale:     2,
		// 256: measured with BenchmarkTileSize (512² ×2, 2 cores, CPU
		// seconds per image and peak RSS): tiles of 64 cost 4.3 s and
		// 69 MiB, 128 2.8 s and 123 MiB, 192 2.4 s and 189 MiB, 256
		// 2.0 s and 276 MiB, one 512 tile 2.1 s and 904 MiB. Smaller
		// tiles lose to the margin they recompute; larger ones gain
		// nothing and grow memory with the square of the side.
		TileSize: 256,
		// 10: ESRGAN-slim's receptive field reaches 10 input pixels from
		// the output pixel (eight 3×3 convolutions, one 5×5, one 3×3
		// after upsampling); any less shows seams, more only costs time.
		TilePad: 10,
		Threads: 0,
		// 4096 × 4096, pipeline.DefaultLimits' bound on input images.
		MaxInputPixels: 4096 * 4096,
	}
}

// Validate checks the values, naming the key of the first wrong one.
func (c *Config) Validate() error {
	switch {
	case c.AssetsDir == "":
		return configErr("assets_dir", "is required")
	case c.Library == "":
		return configErr("onnxruntime_library", "is required")
	case c.Scale != 2 && c.Scale != 4:
		return configErr("scale", "must be 2 or 4, got %d", c.Scale)
	case c.TileSize < 16 || c.TileSize > 4096:
		return configErr("tile_size", "must be 16..4096 pixels, got %d", c.TileSize)
	case c.TilePad < 0 || c.TilePad > 256:
		return configErr("tile_pad", "must be 0..256 pixels, got %d", c.TilePad)
	case c.Threads < 0 || c.Threads > 1024:
		return configErr("threads", "must be 0..1024, got %d", c.Threads)
	case c.MaxInputPixels < 1:
		return configErr("max_input_pixels", "must be positive, got %d", c.MaxInputPixels)
	}
	return nil
}

func configErr(key, format string, args ...any) error {
	return fmt.Errorf("%w: %s: %s", ErrConfig, key, fmt.Sprintf(format, args...))
}

// modelID is the honest name of the network at scale.
func modelID(scale int) string { return "upscalerjs/esrgan-slim-x" + strconv.Itoa(scale) }
