package classical

import (
	"errors"
	"image"
	"slices"
	"testing"

	"github.com/castmesh/castmesh/ai/pipeline"
)

// The prompt tests use a 640 × 480 image.
const promptW, promptH = 640, 480

func TestParsePromptRejects(t *testing.T) {
	for _, tc := range []struct {
		name                string
		coords, labels, box string
		field               string
	}{
		{"nothing", "", "", "", "point_coords"},
		{"empty lists", "[]", "[]", "[]", "point_coords"},
		{"coords not JSON", "[[1, 2]", "[1]", "", "point_coords"},
		{"coords not pairs", "[[1, 2, 3]]", "[1]", "", "point_coords"},
		{"coords flat", "[1, 2]", "[1]", "", "point_coords"},
		{"coords of strings", `[["1", "2"]]`, "[1]", "", "point_coords"},
		{"coords without labels", "[[1, 2]]", "", "", "point_labels"},
		{"labels without coords", "", "[1]", "", "point_coords"},
		{"fewer labels", "[[1, 2], [3, 4]]", "[1]", "", "point_labels"},
		{"more labels", "[[1, 2]]", "[1, 0]", "", "point_labels"},
		{"label 2", "[[1, 2]]", "[2]", "", "point_labels"},
		{"label -1", "[[1, 2]]", "[-1]", "", "point_labels"},
		{"label 0.5", "[[1, 2]]", "[0.5]", "", "point_labels"},
		{"labels not JSON", "[[1, 2]]", "one", "", "point_labels"},
		{"only negative", "[[1, 2]]", "[0]", "", "point_labels"},
		{"x negative", "[[-1, 2]]", "[1]", "", "point_coords"},
		{"x at width", "[[640, 2]]", "[1]", "", "point_coords"},
		{"y past height", "[[1, 1e9]]", "[1]", "", "point_coords"},
		{"number too big for JSON", "[[1e999, 2]]", "[1]", "", "point_coords"},
		{"too many points", "[" + repeat("[1, 2]", 65) + "]", "[" + repeat("1", 65) + "]", "", "point_coords"},
		{"box not JSON", "", "", "[1, 2, 3", "box"},
		{"box of 3", "", "", "[1, 2, 3]", "box"},
		{"two boxes", "", "", "[[1, 2, 3, 4], [5, 6, 7, 8]]", "box"},
		{"box outside", "", "", "[0, 0, 641, 10]", "box"},
		{"box negative", "", "", "[-5, 0, 10, 10]", "box"},
		{"box empty", "", "", "[10, 10, 10, 20]", "box"},
		{"box inverted", "", "", "[20, 10, 10, 20]", "box"},
		{"box an object", "", "", `{"x1": 1}`, "box"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parsePrompt(&pipeline.SegmentAnything2Params{PointCoords: tc.coords, PointLabels: tc.labels, Box: tc.box}, promptW, promptH, 64)
			var fe *pipeline.FieldError
			if !errors.As(err, &fe) || fe.Field != tc.field {
				t.Fatalf("got %v, want a *pipeline.FieldError on %s", err, tc.field)
			}
		})
	}
}

func TestParsePromptAccepts(t *testing.T) {
	for _, tc := range []struct {
		name                string
		coords, labels, box string
		want                prompt
	}{
		{
			"points", "[[10.7, 20.2], [639.9, 479.9], [0, 0]]", "[1, 0, 1.0]", "",
			prompt{pos: []image.Point{{10, 20}, {0, 0}}, neg: []image.Point{{639, 479}}, box: image.Rect(0, 0, promptW, promptH)},
		},
		{"box", "", "", "[10.5, 20, 100.2, 479.5]", prompt{box: image.Rect(10, 20, 101, 480), hasBox: true}},
		{"box in a list", "null", "null", "[[0, 0, 640, 480]]", prompt{box: image.Rect(0, 0, promptW, promptH), hasBox: true}},
		{
			"negative point and box", " [[5, 5]] ", "[0]", "[1, 1, 9, 9]",
			prompt{neg: []image.Point{{5, 5}}, box: image.Rect(1, 1, 9, 9), hasBox: true},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parsePrompt(&pipeline.SegmentAnything2Params{PointCoords: tc.coords, PointLabels: tc.labels, Box: tc.box}, promptW, promptH, 64)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got.pos, tc.want.pos) || !slices.Equal(got.neg, tc.want.neg) || got.box != tc.want.box || got.hasBox != tc.want.hasBox {
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestRegionGrowRejects(t *testing.T) {
	m := newRegionGrow(t)
	_, err := m.SegmentAnything2(t.Context(), &pipeline.SegmentAnything2Params{Image: pngFile(t, scenery(32, 32)), PointCoords: "[[40, 1]]", PointLabels: "[1]"})
	var fe *pipeline.FieldError
	if !errors.As(err, &fe) || fe.Field != "point_coords" {
		t.Fatalf("point outside: got %v, want a *pipeline.FieldError on point_coords", err)
	}
	_, err = m.SegmentAnything2(t.Context(), &pipeline.SegmentAnything2Params{Image: pipeline.File{Data: []byte("\x89PNG broken")}, PointCoords: "[[1, 1]]", PointLabels: "[1]"})
	if !errors.Is(err, pipeline.ErrBadInput) {
		t.Fatalf("unreadable image: got %v, want pipeline.ErrBadInput", err)
	}
}

// FuzzPrompt checks that any prompt text either parses into points and a
// box inside the image, or fails with a *pipeline.FieldError naming one of
// the three fields.
func FuzzPrompt(f *testing.F) {
	f.Add("[[10, 20]]", "[1]", "")
	f.Add("[[10, 20], [30, 40]]", "[1, 0]", "[0, 0, 100, 100]")
	f.Add("", "", "[[1.5, 2.5, 3.5, 4.5]]")
	f.Add("[[1e308, -1e308]]", "[1]", "null")
	f.Fuzz(func(t *testing.T, coords, labels, box string) {
		pr, err := parsePrompt(&pipeline.SegmentAnything2Params{PointCoords: coords, PointLabels: labels, Box: box}, promptW, promptH, 64)
		if err != nil {
			var fe *pipeline.FieldError
			if !errors.As(err, &fe) || !slices.Contains([]string{"point_coords", "point_labels", "box"}, fe.Field) {
				t.Fatalf("error %v is not a *pipeline.FieldError on a prompt field", err)
			}
			return
		}
		image := image.Rect(0, 0, promptW, promptH)
		if pr.box.Empty() || !pr.box.In(image) {
			t.Fatalf("box %v is empty or outside %v", pr.box, image)
		}
		if len(pr.pos) == 0 && !pr.hasBox {
			t.Fatal("no positive point and no box")
		}
		for _, p := range slices.Concat(pr.pos, pr.neg) {
			if !p.In(image) {
				t.Fatalf("point %v outside %v", p, image)
			}
		}
	})
}

func repeat(s string, n int) string {
	out := s
	for range n - 1 {
		out += ", " + s
	}
	return out
}
