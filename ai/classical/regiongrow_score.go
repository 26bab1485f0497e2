package classical

import (
	"math"
)

// score measures how much a mask looks like one object, in 0..1: the
// geometric mean of its homogeneity (1/(1+(σ/15)²), σ the RMS ΔE of its
// pixels from their mean colour), the contrast at its edge (1−e^(−Δ/10),
// Δ the mean ΔE across its edges inside the image) and its compactness
// (16·area/perimeter², capped at 1: a square scores 1, a disc 0.79, a
// thin leak near 0). It is measured, not a predicted IoU as SAM's is.
func score(img labImage, mask []bool) float32 {
	var st maskStats
	for i, in := range mask {
		if in {
			st.add(img, mask, i)
		}
	}
	if st.area == 0 {
		return 0
	}
	n := float64(st.area)
	var variance float64
	for c := range 3 {
		m := st.sum[c] / n
		variance += st.sumSq[c]/n - m*m
	}
	homogeneity := 1 / (1 + max(variance, 0)/(15*15))
	contrast := 0.0
	if st.edges > 0 {
		contrast = 1 - math.Exp(-st.edgeDelta/float64(st.edges)/10)
	}
	compactness := min(1, 16*n/float64(st.perimeter*st.perimeter))
	return float32(math.Cbrt(homogeneity * contrast * compactness))
}

// maskStats accumulates a mask's pixels.
type maskStats struct {
	area       int
	sum, sumSq [3]float64
	perimeter  int     // pixel sides on the mask's edge, the image's border included
	edges      int     // of those, sides with a pixel on the far side
	edgeDelta  float64 // the summed ΔE across those sides
}

func (st *maskStats) add(img labImage, mask []bool, i int) {
	st.area++
	c := img.px[i]
	for k := range 3 {
		st.sum[k] += float64(c[k])
		st.sumSq[k] += float64(c[k]) * float64(c[k])
	}
	x, y := i%img.w, i/img.w
	for _, d := range [4][2]int{{-1, 0}, {1, 0}, {0, -1}, {0, 1}} {
		nx, ny := x+d[0], y+d[1]
		if nx < 0 || ny < 0 || nx >= img.w || ny >= img.h {
			st.perimeter++
			continue
		}
		if j := ny*img.w + nx; !mask[j] {
			st.perimeter++
			st.edges++
			st.edgeDelta += float64(c.dist(img.px[j]))
		}
	}
}
