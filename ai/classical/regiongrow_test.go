package classical

import (
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/castmesh/castmesh/ai/pipeline"
)

func newRegionGrow(t testing.TB) *RegionGrow {
	t.Helper()
	m, err := NewRegionGrow(DefaultRegionGrowConfig())
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// segment runs the model, checking the shapes SAM2 answers with.
func segment(t testing.TB, m *RegionGrow, img image.Image, p pipeline.SegmentAnything2Params) pipeline.Masks {
	t.Helper()
	p.Image = pngFile(t, img)
	out, err := m.SegmentAnything2(t.Context(), &p)
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	n := len(out.Masks)
	if n < 1 || n > 3 || len(out.Scores) != n || len(out.Logits) != n || (!p.MultimaskOutput && n != 1) {
		t.Fatalf("%d masks, %d scores, %d logits (multimask %v)", n, len(out.Scores), len(out.Logits), p.MultimaskOutput)
	}
	for k := range n {
		if k > 0 && out.Scores[k] > out.Scores[k-1] {
			t.Fatalf("scores %v not descending", out.Scores)
		}
		if s := out.Scores[k]; s < 0 || s > 1 {
			t.Fatalf("score %g outside 0..1", s)
		}
		if len(out.Masks[k]) != b.Dy() || len(out.Masks[k][0]) != b.Dx() || len(out.Logits[k]) != 256 || len(out.Logits[k][0]) != 256 {
			t.Fatalf("mask %d is %d×%d, logits %d×%d", k, len(out.Masks[k][0]), len(out.Masks[k]), len(out.Logits[k][0]), len(out.Logits[k]))
		}
	}
	return out
}

// disc is a red disc on a blue background, with sensor noise.
func disc(w, h int, cx, cy, r float64) (*image.NRGBA, func(x, y int) bool) {
	inside := func(x, y int) bool { return math.Hypot(float64(x)+0.5-cx, float64(y)+0.5-cy) < r }
	img := fill(w, h, color.NRGBA{30, 60, 200, 255})
	rng := rand.New(rand.NewPCG(3, 4))
	for y := range h {
		for x := range w {
			o := img.PixOffset(x, y)
			if inside(x, y) {
				img.Pix[o], img.Pix[o+1], img.Pix[o+2] = 210, 40, 35
			}
			for c := range 3 {
				img.Pix[o+c] = uint8(min(max(float64(img.Pix[o+c])+rng.NormFloat64()*5, 0), 255))
			}
		}
	}
	return img, inside
}

// iou compares a mask with a shape.
func iou(mask [][]float32, shape func(x, y int) bool) float64 {
	var both, either int
	for y, row := range mask {
		for x, v := range row {
			in := shape(x, y)
			if v == 1 && in {
				both++
			}
			if v == 1 || in {
				either++
			}
		}
	}
	return float64(both) / float64(either)
}

func TestRegionGrowFindsTheDisc(t *testing.T) {
	img, inside := disc(320, 240, 140, 110, 70)
	out := segment(t, newRegionGrow(t), img, pipeline.SegmentAnything2Params{
		PointCoords: "[[150, 100]]", PointLabels: "[1]", MultimaskOutput: true, NormalizeCoords: true,
	})
	for k, mask := range out.Masks {
		t.Logf("mask %d: score %.3f, IoU %.3f", k, out.Scores[k], iou(mask, inside))
	}
	if got := iou(out.Masks[0], inside); got < 0.9 {
		t.Fatalf("best mask IoU %.3f with the disc, want ≥ 0.9", got)
	}
	// The logits threshold at 0 to the mask: the disc's centre is inside,
	// the corner outside.
	if l := out.Logits[0]; l[256*110/240][256*140/320] <= 0 || l[0][0] >= 0 {
		t.Fatalf("logits at the centre %g, at the corner %g", l[256*110/240][256*140/320], l[0][0])
	}
}

func TestRegionGrowStaysInTheBox(t *testing.T) {
	img, _ := disc(320, 240, 160, 120, 100)
	box := image.Rect(100, 60, 200, 140)
	out := segment(t, newRegionGrow(t), img, pipeline.SegmentAnything2Params{Box: "[100, 60, 200, 140]", MultimaskOutput: true})
	for k, mask := range out.Masks {
		n := 0
		for y, row := range mask {
			for x, v := range row {
				if v == 1 && !image.Pt(x, y).In(box) {
					t.Fatalf("mask %d covers (%d, %d), outside the box %v", k, x, y, box)
				}
				n += int(v)
			}
		}
		if n < box.Dx()*box.Dy()*9/10 {
			t.Fatalf("mask %d covers %d pixels of the box's %d, all of which are disc", k, n, box.Dx()*box.Dy())
		}
	}
}

// TestRegionGrowNegativePointExcludes puts an orange bar across a red
// disc: close enough in colour that the loosest tolerance takes both,
// until a negative point on the bar leaves it out.
func TestRegionGrowNegativePointExcludes(t *testing.T) {
	img, inside := disc(320, 240, 140, 120, 80)
	bar := func(x, y int) bool { return y >= 100 && y < 140 }
	for y := 100; y < 140; y++ {
		for x := range 320 {
			o := img.PixOffset(x, y)
			img.Pix[o], img.Pix[o+1], img.Pix[o+2] = 225, 85, 40
		}
	}
	m := newRegionGrow(t)
	barPixels := func(mask [][]float32) (n int) {
		for y, row := range mask {
			for x, v := range row {
				if v == 1 && bar(x, y) {
					n++
				}
			}
		}
		return n
	}
	without := segment(t, m, img, pipeline.SegmentAnything2Params{PointCoords: "[[140, 60]]", PointLabels: "[1]", MultimaskOutput: true})
	leaked := false
	for _, mask := range without.Masks {
		leaked = leaked || barPixels(mask) > 320*40/2
	}
	if !leaked {
		t.Fatal("no tolerance grew into the bar; the test needs closer colours")
	}
	with := segment(t, m, img, pipeline.SegmentAnything2Params{PointCoords: "[[140, 60], [300, 120]]", PointLabels: "[1, 0]", MultimaskOutput: true})
	// The bar cuts the disc in two; only the part above it is connected.
	discAbove := func(x, y int) bool { return inside(x, y) && y < 100 }
	for k, mask := range with.Masks {
		if n := barPixels(mask); n > 0 {
			t.Errorf("mask %d covers %d pixels of the bar", k, n)
		}
		if got := iou(mask, discAbove); got < 0.9 && k == 0 {
			t.Errorf("best mask: IoU %.3f with the disc above the bar, want ≥ 0.9", got)
		}
	}
}

// TestRegionGrowSplitsOneColourByDistance: on a flat image only distance
// separates a positive from a negative point.
func TestRegionGrowSplitsOneColourByDistance(t *testing.T) {
	out := segment(t, newRegionGrow(t), fill(200, 100, color.NRGBA{120, 200, 90, 255}), pipeline.SegmentAnything2Params{
		PointCoords: "[[50, 50], [150, 50]]", PointLabels: "[1, 0]",
	})
	left := func(x, _ int) bool { return x < 100 }
	if got := iou(out.Masks[0], left); got < 0.97 {
		t.Fatalf("IoU %.3f with the left half, want ≥ 0.97", got)
	}
}
