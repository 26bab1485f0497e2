package esrgan

import (
	"errors"
	"strings"
	"testing"
)

func TestDefaultConfigValid(t *testing.T) {
	cfg := DefaultConfig()
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestValidateNamesKey(t *testing.T) {
	cases := []struct {
		key    string
		modify func(c *Config)
	}{
		{"assets_dir", func(c *Config) { c.AssetsDir = "" }},
		{"onnxruntime_library", func(c *Config) { c.Library = "" }},
		{"scale", func(c *Config) { c.Scale = 3 }},
		{"tile_size", func(c *Config) { c.TileSize = 8 }},
		{"tile_pad", func(c *Config) { c.TilePad = -1 }},
		{"threads", func(c *Config) { c.Threads = -1 }},
		{"max_input_pixels", func(c *Config) { c.MaxInputPixels = 0 }},
	}
	for _, c := range cases {
		t.Run(c.key, func(t *testing.T) {
			cfg := DefaultConfig()
			c.modify(&cfg)
			err := cfg.Validate()
			if !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), c.key+":") {
				t.Fatalf("err = %v, want ErrConfig naming %s", err, c.key)
			}
			if _, err := New(cfg); !errors.Is(err, ErrConfig) {
				t.Errorf("New: err = %v, want ErrConfig", err)
			}
		})
	}
}

func TestLoadRejectsNarrowPad(t *testing.T) {
	cfg := testConfig(t)
	cfg.TilePad = 9
	m := newModel(t, cfg)
	err := m.Load(t.Context())
	if !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), "tile_pad:") {
		t.Fatalf("err = %v, want ErrConfig naming tile_pad", err)
	}
}

func TestLoadMissingAssets(t *testing.T) {
	cfg := testConfig(t)
	cfg.AssetsDir = t.TempDir()
	m := newModel(t, cfg)
	if err := m.Load(t.Context()); !errors.Is(err, ErrConfig) {
		t.Fatalf("err = %v, want ErrConfig", err)
	}
}
