package esrgan

import (
	"image"
	"testing"
)

func TestTilesCoverOnce(t *testing.T) {
	cases := []struct {
		name      string
		b         image.Rectangle
		size, pad int
		n         int
	}{
		{"smaller than a tile", image.Rect(0, 0, 100, 50), 256, 10, 1},
		{"exact", image.Rect(0, 0, 512, 512), 256, 10, 4},
		{"uneven", image.Rect(0, 0, 300, 130), 64, 10, 5 * 3},
		{"offset", image.Rect(7, 3, 70, 40), 16, 4, 4 * 3},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ts := tiles(c.b, c.size, c.pad)
			if len(ts) != c.n {
				t.Fatalf("%d tiles, want %d", len(ts), c.n)
			}
			seen := map[image.Point]int{}
			for _, tl := range ts {
				if tl.core.Dx() > c.size || tl.core.Dy() > c.size || tl.core.Dx() < c.size/2 && c.b.Dx() > c.size {
					t.Errorf("tile %v: want sides of size/2..size", tl.core)
				}
				if want := tl.core.Inset(-c.pad).Intersect(c.b); tl.in != want {
					t.Errorf("tile %v reads %v, want %v", tl.core, tl.in, want)
				}
				for y := tl.core.Min.Y; y < tl.core.Max.Y; y++ {
					for x := tl.core.Min.X; x < tl.core.Max.X; x++ {
						seen[image.Pt(x, y)]++
					}
				}
			}
			for y := c.b.Min.Y; y < c.b.Max.Y; y++ {
				for x := c.b.Min.X; x < c.b.Max.X; x++ {
					if seen[image.Pt(x, y)] != 1 {
						t.Fatalf("pixel %d,%d covered %d times", x, y, seen[image.Pt(x, y)])
					}
				}
			}
		})
	}
}

// TestTilesJoinWithoutSeams compares small uneven tiles with one
// whole-image run: the margins must make them agree.
func TestTilesJoinWithoutSeams(t *testing.T) {
	for _, scale := range []int{2, 4} {
		cfg := testConfig(t)
		cfg.Scale = scale
		data := encode(t, mosaic(t, cfg.AssetsDir, 150, 110))
		whole := upscale(t, newModel(t, cfg), data)
		cfg.TileSize = 40
		tiled := upscale(t, newModel(t, cfg), data)
		p := psnr(t, tiled, whole)
		t.Logf("x%d: 40-pixel tiles vs one run: PSNR %.1f dB", scale, p)
		if p < 50 {
			t.Errorf("x%d: PSNR %.1f dB < 50 dB: seams", scale, p)
		}
	}
}

// TestTilingBoundsMemory upscales 512² ×2 three ways, measuring how far
// each run raises the process's RSS: small tiles, the default tiles and
// one 512² tile. Small tiles must need well under half the whole-image
// run's memory and give the same picture; the default run must make
// 1024².
func TestTilingBoundsMemory(t *testing.T) {
	cfg := testConfig(t)
	data := encode(t, mosaic(t, cfg.AssetsDir, 512, 512))
	run := func(tile int) (image.Image, float64) {
		c := cfg
		c.TileSize = tile
		m, err := New(c)
		if err != nil {
			t.Fatal(err)
		}
		defer m.Close()
		if err := m.Load(t.Context()); err != nil {
			t.Fatal(err)
		}
		base := resetPeak(t)
		img := upscale(t, m, data)
		return img, peakRSS(t) - base
	}
	// Smallest first: onnxruntime and malloc keep some memory after a
	// model closes, which could hide a later, smaller run's growth.
	small, smallPeak := run(128)
	def, defPeak := run(cfg.TileSize)
	whole, wholePeak := run(512)
	t.Logf("RSS growth of 512² ×2: 128-pixel tiles %.0f MiB, %d-pixel tiles %.0f MiB, one tile %.0f MiB",
		smallPeak, cfg.TileSize, defPeak, wholePeak)
	if got := def.Bounds().Size(); got != image.Pt(1024, 1024) {
		t.Errorf("output is %v, want 1024×1024", got)
	}
	if smallPeak > wholePeak/2 || defPeak >= wholePeak {
		t.Errorf("tiles do not bound memory: %.0f and %.0f MiB against %.0f MiB", smallPeak, defPeak, wholePeak)
	}
	for _, img := range []image.Image{small, def} {
		if p := psnr(t, img, whole); p < 50 {
			t.Errorf("tiled PSNR %.1f dB < 50 dB against the whole-image run", p)
		}
	}
}
