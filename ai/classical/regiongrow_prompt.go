package classical

import (
	"encoding/json"
	"image"
	"math"
	"strings"

	"github.com/castmesh/castmesh/ai/pipeline"
)

// prompt is a segment-anything-2 prompt in whole pixels of the input.
type prompt struct {
	pos, neg []image.Point
	// box holds the pixels masks may cover: the prompt's box, or the whole
	// image without one.
	box    image.Rectangle
	hasBox bool
}

// parsePrompt reads p's point_coords, point_labels and box for an image of
// w × h. Coordinates are pixels in both cases of normalize_coords (see
// RegionGrow). Every error is a *pipeline.FieldError naming the field.
func parsePrompt(p *pipeline.SegmentAnything2Params, w, h, maxPoints int) (prompt, error) {
	coords, err := parseCoords(p.PointCoords, maxPoints)
	if err != nil {
		return prompt{}, err
	}
	labels, err := parseLabels(p.PointLabels, maxPoints)
	if err != nil {
		return prompt{}, err
	}
	pr := prompt{box: image.Rect(0, 0, w, h)}
	if pr.hasBox, err = parseBox(p.Box, w, h, &pr.box); err != nil {
		return prompt{}, err
	}
	switch {
	case len(coords) == 0 && len(labels) > 0:
		return prompt{}, fieldError("point_coords", "is required with point_labels")
	case len(coords) > 0 && len(labels) == 0:
		return prompt{}, fieldError("point_labels", "is required with point_coords")
	case len(coords) != len(labels):
		return prompt{}, fieldError("point_labels", "has %d labels for %d points", len(labels), len(coords))
	case len(coords) == 0 && !pr.hasBox:
		return prompt{}, fieldError("point_coords", "a point or a box is required")
	}
	for i, c := range coords {
		if c[0] < 0 || c[0] >= float64(w) || c[1] < 0 || c[1] >= float64(h) {
			return prompt{}, fieldError("point_coords", "point %d (%g, %g) is outside the %d×%d image", i, c[0], c[1], w, h)
		}
		at := image.Pt(int(c[0]), int(c[1]))
		if labels[i] == 1 {
			pr.pos = append(pr.pos, at)
		} else {
			pr.neg = append(pr.neg, at)
		}
	}
	if len(pr.pos) == 0 && !pr.hasBox {
		return prompt{}, fieldError("point_labels", "needs a positive point (label 1) when no box is given")
	}
	return pr, nil
}

// parseCoords reads [[x, y], …].
func parseCoords(s string, maxPoints int) ([][]float64, error) {
	var coords [][]float64
	if err := unmarshalField(s, &coords); err != nil {
		return nil, fieldError("point_coords", "must be a JSON list of [x, y] pairs: %v", err)
	}
	if len(coords) > maxPoints {
		return nil, fieldError("point_coords", "has %d points; at most %d are taken", len(coords), maxPoints)
	}
	for i, c := range coords {
		if len(c) != 2 {
			return nil, fieldError("point_coords", "point %d has %d numbers, not 2", i, len(c))
		}
	}
	return coords, nil
}

// parseLabels reads [1, 0, …]: 1 for a point on the object, 0 for one off it.
func parseLabels(s string, maxPoints int) ([]int, error) {
	var raw []float64
	if err := unmarshalField(s, &raw); err != nil {
		return nil, fieldError("point_labels", "must be a JSON list of 0 and 1: %v", err)
	}
	if len(raw) > maxPoints {
		return nil, fieldError("point_labels", "has %d labels; at most %d are taken", len(raw), maxPoints)
	}
	labels := make([]int, len(raw))
	for i, l := range raw {
		if l != 0 && l != 1 {
			return nil, fieldError("point_labels", "label %d is %g; only 1 (object) and 0 (not object) are taken", i, l)
		}
		labels[i] = int(l)
	}
	return labels, nil
}

// parseBox reads [x1, y1, x2, y2] (or one such box in a list) into *box as
// the pixels it touches, reporting whether there was one.
func parseBox(s string, w, h int, box *image.Rectangle) (bool, error) {
	var b []float64
	if err := unmarshalField(s, &b); err != nil {
		var nested [][]float64
		if unmarshalField(s, &nested) != nil || len(nested) != 1 {
			return false, fieldError("box", "must be a JSON list [x1, y1, x2, y2]")
		}
		b = nested[0]
	}
	switch {
	case len(b) == 0:
		return false, nil
	case len(b) != 4:
		return false, fieldError("box", "has %d numbers, not 4", len(b))
	case b[0] < 0 || b[1] < 0 || b[2] > float64(w) || b[3] > float64(h):
		return false, fieldError("box", "%v is outside the %d×%d image", b, w, h)
	case b[0] >= b[2] || b[1] >= b[3]:
		return false, fieldError("box", "%v is empty: x1 < x2 and y1 < y2 are required", b)
	}
	*box = image.Rect(int(b[0]), int(b[1]), int(math.Ceil(b[2])), int(math.Ceil(b[3])))
	return true, nil
}

// unmarshalField decodes a JSON text field; empty text and null leave v
// as it is.
func unmarshalField(s string, v any) error {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	return json.Unmarshal([]byte(s), v)
}
