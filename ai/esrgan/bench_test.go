package esrgan

import (
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/castmesh/castmesh/ai/pipeline"
)

// BenchmarkUpscale512 is ESRGAN-slim ×2 of a 512² image (1024² out) with
// the default config, PNG decoding and encoding included.
func BenchmarkUpscale512(b *testing.B) {
	benchmarkUpscale(b, testConfig(b))
}

// BenchmarkTileSize is BenchmarkUpscale512 across tile sizes, reporting
// each one's peak RSS: the measurement behind DefaultConfig's TileSize.
func BenchmarkTileSize(b *testing.B) {
	for _, size := range []int{64, 128, 192, 256, 384, 512} {
		b.Run(strconv.Itoa(size), func(b *testing.B) {
			cfg := testConfig(b)
			cfg.TileSize = size
			benchmarkUpscale(b, cfg)
		})
	}
}

func benchmarkUpscale(b *testing.B, cfg Config) {
	m := newModel(b, cfg)
	data := encode(b, mosaic(b, cfg.AssetsDir, 512, 512))
	p := &pipeline.UpscaleParams{Image: pipeline.File{Data: data}}
	if err := m.Load(b.Context()); err != nil {
		b.Fatal(err)
	}
	resetPeak(b)
	cpu := cpuTime(b)
	for b.Loop() {
		if _, err := m.Upscale(b.Context(), p); err != nil {
			b.Fatal(err)
		}
	}
	// CPU seconds are steadier than wall time on a shared machine.
	b.ReportMetric((cpuTime(b)-cpu).Seconds()/float64(b.N), "cpu-s/op")
	b.ReportMetric(peakRSS(b), "peak-MiB")
}

// cpuTime is the CPU time the process has used, user and system.
func cpuTime(b *testing.B) time.Duration {
	b.Helper()
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
