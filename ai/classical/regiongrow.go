package classical

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"image"
	"slices"

	"github.com/castmesh/castmesh/ai/pipeline"
)

// RegionGrowID is the model id of RegionGrow.
const RegionGrowID = "classical/region-grow"

// RegionGrowConfig tunes RegionGrow.
type RegionGrowConfig struct {
	// Tolerances are how far (CIELAB ΔE*76) a pixel's colour may be from
	// a positive point's to join its region, one candidate mask each:
	// 1 to 3 values, ascending.
	Tolerances []float64 `yaml:"tolerances"`
	// MaxPoints bounds point_coords; each pixel is compared with every
	// point's colour.
	MaxPoints int `yaml:"max_points"`
	// MaxInputPixels bounds the input image (width × height).
	MaxInputPixels int64 `yaml:"max_input_pixels"`
}

// DefaultRegionGrowConfig returns the defaults.
func DefaultRegionGrowConfig() RegionGrowConfig {
	return RegionGrowConfig{
		// 8, 16, 32: a flat region (JPEG noise is 2–5), a shaded one, and
		// an object only set apart from its surroundings by a clear edge.
		Tolerances: []float64{8, 16, 32},
		// 64: far more than people click, few enough that a 4096² image
		// still takes seconds.
		MaxPoints: 64,
		// 4096²: pipeline.DefaultLimits, which gateways enforce.
		MaxInputPixels: pipeline.DefaultLimits().MaxImagePixels,
	}
}

// Validate names the first bad key.
func (c RegionGrowConfig) Validate() error {
	switch {
	case len(c.Tolerances) < 1 || len(c.Tolerances) > 3:
		return fmt.Errorf("tolerances: %d values; 1 to 3 are taken", len(c.Tolerances))
	case c.Tolerances[0] <= 0 || c.Tolerances[len(c.Tolerances)-1] > 200:
		return fmt.Errorf("tolerances: %v out of range (0, 200]", c.Tolerances)
	case !slices.IsSorted(c.Tolerances) || len(slices.Compact(slices.Clone(c.Tolerances))) != len(c.Tolerances):
		return fmt.Errorf("tolerances: %v must be strictly ascending", c.Tolerances)
	case c.MaxPoints < 1 || c.MaxPoints > 1024:
		return fmt.Errorf("max_points: %d out of range 1..1024", c.MaxPoints)
	case c.MaxInputPixels < 1:
		return errors.New("max_input_pixels: must be at least 1")
	}
	return nil
}

// RegionGrow is the segment-anything-2 model classical/region-grow: not a
// neural network, and it knows nothing of objects, only of colours. From
// each positive point (label 1) it floods 4-connected pixels whose CIELAB
// colour is within a tolerance of that point's (the mean of the 3 × 3
// pixels around it), inside the box when one is given. A pixel nearer in
// colour to a negative point (label 0) than to the positive ones is left
// out, so a negative point on a neighbouring region excludes it; where the
// two colours are about equal, the pixel goes to the nearer point. With a
// box and no positive point inside it, the box's centre is the point.
//
// Each configured tolerance gives a candidate mask; identical candidates
// are merged. With multimask_output all are returned (up to 3), sorted by
// descending score, else only the best. Scores are measured, see score;
// logits are signed distances, see logits; masks are 0 or 1.
//
// Coordinates are pixels of the input image whatever normalize_coords
// says: SAM2 normalises pixel coordinates when it is true (the default),
// and takes 0..1 coordinates when it is false, which this model does not.
// mask_input is ignored, and return_logits does not make the masks
// logits as it does in SAM2: logits are always returned apart.
type RegionGrow struct {
	cfg RegionGrowConfig
}

// NewRegionGrow returns the model.
func NewRegionGrow(cfg RegionGrowConfig) (*RegionGrow, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &RegionGrow{cfg: cfg}, nil
}

// Pipeline returns pipeline.SegmentAnything2.
func (m *RegionGrow) Pipeline() pipeline.Name { return pipeline.SegmentAnything2 }

// ModelID returns RegionGrowID.
func (m *RegionGrow) ModelID() string { return RegionGrowID }

// SegmentAnything2 returns the masks of the region p's prompt points at.
func (m *RegionGrow) SegmentAnything2(ctx context.Context, p *pipeline.SegmentAnything2Params) (pipeline.Masks, error) {
	in, err := decodeImage(p.Image, m.cfg.MaxInputPixels)
	if err != nil {
		return pipeline.Masks{}, err
	}
	w, h := in.Rect.Dx(), in.Rect.Dy()
	pr, err := parsePrompt(p, w, h, m.cfg.MaxPoints)
	if err != nil {
		return pipeline.Masks{}, err
	}
	g := newGrower(toLab(in), pr)
	var cands []candidate
	for _, tol := range m.cfg.Tolerances {
		if err := ctx.Err(); err != nil {
			return pipeline.Masks{}, err
		}
		mask := g.grow(float32(tol))
		if !slices.ContainsFunc(cands, func(c candidate) bool { return slices.Equal(c.mask, mask) }) {
			cands = append(cands, candidate{mask: mask, score: score(g.img, mask)})
		}
	}
	slices.SortStableFunc(cands, func(a, b candidate) int { return cmp.Compare(b.score, a.score) })
	if !p.MultimaskOutput {
		cands = cands[:1]
	}
	return toMasks(cands, w, h), nil
}

func newGrower(img labImage, pr prompt) *grower {
	g := &grower{img: img, box: pr.box}
	for _, at := range pr.pos {
		if at.In(pr.box) {
			g.pos = append(g.pos, seedPoint{at: at, ref: img.mean3(at)})
		}
	}
	if len(g.pos) == 0 { // a box alone: grow from its centre
		at := image.Pt((pr.box.Min.X+pr.box.Max.X)/2, (pr.box.Min.Y+pr.box.Max.Y)/2)
		g.pos = append(g.pos, seedPoint{at: at, ref: img.mean3(at)})
	}
	for _, at := range pr.neg {
		g.neg = append(g.neg, seedPoint{at: at, ref: img.mean3(at)})
	}
	return g
}

// candidate is one tolerance's mask.
type candidate struct {
	mask  []bool
	score float32
}

func toMasks(cands []candidate, w, h int) pipeline.Masks {
	var out pipeline.Masks
	for _, c := range cands {
		pix := make([]float32, w*h)
		for i, in := range c.mask {
			if in {
				pix[i] = 1
			}
		}
		rows := make([][]float32, h)
		for y := range rows {
			rows[y] = pix[y*w : (y+1)*w : (y+1)*w]
		}
		out.Masks = append(out.Masks, rows)
		out.Scores = append(out.Scores, c.score)
		out.Logits = append(out.Logits, logits(c.mask, w, h))
	}
	return out
}
