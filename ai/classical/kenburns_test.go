package classical

import (
	"errors"
	"image"
	"testing"

	"github.com/castmesh/castmesh/ai/pipeline"
)

func newKenBurns(t testing.TB) *KenBurns {
	t.Helper()
	cfg := DefaultKenBurnsConfig()
	cfg.FFmpeg = ffmpegConfig(t)
	m, err := NewKenBurns(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func kenBurnsFrames(t testing.TB, m *KenBurns, p pipeline.ImageToVideoParams) []*image.NRGBA {
	t.Helper()
	out, err := m.ImageToVideo(t.Context(), &p)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != pipeline.VideoFrames {
		t.Fatalf("%d frames, want %d", len(out), pipeline.VideoFrames)
	}
	frames := make([]*image.NRGBA, len(out))
	for i, o := range out {
		if frames[i] = decodePNG(t, o); frames[i].Rect.Dx() != p.Width || frames[i].Rect.Dy() != p.Height {
			t.Fatalf("frame %d is %v, want %d×%d", i, frames[i].Rect.Size(), p.Width, p.Height)
		}
		if p.Seed != nil && o.Seed != *p.Seed {
			t.Fatalf("frame %d has seed %d, want %d", i, o.Seed, *p.Seed)
		}
	}
	return frames
}

func TestKenBurnsMoves(t *testing.T) {
	m := newKenBurns(t)
	in := scenery(300, 260) // taller than the 16:9 output: cropped to cover
	frames := kenBurnsFrames(t, m, pipeline.ImageToVideoParams{Image: pngFile(t, in), Width: 256, Height: 144, MotionBucketID: 127, Seed: seedPtr(5)})
	db := psnr(t, coverCrop(in, 256, 144), frames[0])
	t.Logf("frame 0 vs the input: %.1f dB; frame 0 vs 24: %.1f dB", db, psnr(t, frames[0], frames[len(frames)-1]))
	if db < 30 {
		t.Errorf("frame 0 vs the input scaled to cover: PSNR %.1f dB, want ≥ 30", db)
	}
	for i := 1; i < len(frames); i++ {
		if psnr(t, frames[i-1], frames[i]) == inf() {
			t.Errorf("frames %d and %d are identical", i-1, i)
		}
	}
	if db := psnr(t, frames[0], frames[len(frames)-1]); db > 25 {
		t.Errorf("first vs last frame: PSNR %.1f dB, want a visible move (< 25)", db)
	}
	other := kenBurnsFrames(t, m, pipeline.ImageToVideoParams{Image: pngFile(t, in), Width: 256, Height: 144, MotionBucketID: 127, Seed: seedPtr(6)})
	if psnr(t, frames[len(frames)-1], other[len(other)-1]) == inf() {
		t.Error("seeds 5 and 6 end on the same frame")
	}
}

func TestKenBurnsMotionBucketZeroStandsStill(t *testing.T) {
	m := newKenBurns(t)
	frames := kenBurnsFrames(t, m, pipeline.ImageToVideoParams{Image: pngFile(t, scenery(200, 120)), Width: 128, Height: 72, MotionBucketID: 0, Seed: seedPtr(1)})
	if db := psnr(t, frames[0], frames[len(frames)-1]); db < 40 {
		t.Fatalf("motion_bucket_id 0: first vs last frame PSNR %.1f dB, want still (≥ 40)", db)
	}
}

func TestKenBurnsRejects(t *testing.T) {
	m := newKenBurns(t)
	for _, tc := range []struct {
		name  string
		w, h  int
		field string
	}{
		{"narrow", 4, 64, "width"},
		{"tall", 64, 4000, "height"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := m.ImageToVideo(t.Context(), &pipeline.ImageToVideoParams{Image: pngFile(t, scenery(16, 16)), Width: tc.w, Height: tc.h})
			var fe *pipeline.FieldError
			if !errors.As(err, &fe) || fe.Field != tc.field {
				t.Fatalf("got %v, want a *pipeline.FieldError on %s", err, tc.field)
			}
		})
	}
}

func TestKenBurnsSupersampleStaysBounded(t *testing.T) {
	m := &KenBurns{cfg: KenBurnsConfig{Supersample: 4}}
	for _, tc := range []struct{ w, h, want int }{{512, 512, 4}, {1024, 576, 4}, {2048, 2048, 2}, {1536, 1024, 3}, {1280, 720, 4}} {
		if got := m.supersample(tc.w, tc.h); got != tc.want {
			t.Errorf("%d×%d: supersample %d, want %d", tc.w, tc.h, got, tc.want)
		}
	}
}
