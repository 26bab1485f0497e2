package classical

import (
	"testing"

	"github.com/castmesh/castmesh/ai/pipeline"
)

// The benchmarks time one request at the sizes the ai-runner API defaults
// to (1024×576 video, 1024² images).

func BenchmarkSeededNoise1024x576(b *testing.B) {
	m := newSeededNoise(b)
	for b.Loop() {
		if _, err := m.TextToImage(b.Context(), &pipeline.TextToImageParams{Prompt: "bench", Width: 1024, Height: 576, NumImages: 1}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkStylize1024(b *testing.B) {
	m, file := newStylize(b), pngFile(b, scenery(1024, 1024))
	for b.Loop() {
		if _, err := m.ImageToImage(b.Context(), &pipeline.ImageToImageParams{Image: file, Strength: 0.8, NumImages: 1}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkKenBurns1024x576(b *testing.B) {
	m, file := newKenBurns(b), pngFile(b, scenery(1024, 1024))
	for b.Loop() {
		if _, err := m.ImageToVideo(b.Context(), &pipeline.ImageToVideoParams{Image: file, Width: 1024, Height: 576, MotionBucketID: 127}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLanczosX4From512(b *testing.B) {
	m, file := newLanczos(b, 4), pngFile(b, scenery(512, 512))
	for b.Loop() {
		if _, err := m.Upscale(b.Context(), &pipeline.UpscaleParams{Image: file}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRegionGrow1024(b *testing.B) {
	m := newRegionGrow(b)
	img, _ := disc(1024, 1024, 450, 500, 300)
	file := pngFile(b, img)
	for b.Loop() {
		if _, err := m.SegmentAnything2(b.Context(), &pipeline.SegmentAnything2Params{
			Image: file, PointCoords: "[[450, 500]]", PointLabels: "[1]", MultimaskOutput: true,
		}); err != nil {
			b.Fatal(err)
		}
	}
}
