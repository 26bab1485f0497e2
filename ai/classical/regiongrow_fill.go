package classical

import (
	"image"
	"math"
)

// lab is a colour in CIELAB (D65): L* 0..100, a* and b* about −128..127.
// Euclidean distance in it (ΔE*76) is roughly perceptual; 2.3 is a just
// noticeable difference.
type lab [3]float32

func (c lab) dist(d lab) float32 {
	l, a, b := c[0]-d[0], c[1]-d[1], c[2]-d[2]
	return float32(math.Sqrt(float64(l*l + a*a + b*b)))
}

// labImage is an image in CIELAB, row by row.
type labImage struct {
	w, h int
	px   []lab
}

// toLab converts img's sRGB colours, ignoring alpha.
func toLab(img *image.NRGBA) labImage {
	var linear [256]float64
	for i := range linear {
		v := float64(i) / 255
		if v <= 0.04045 {
			linear[i] = v / 12.92
		} else {
			linear[i] = math.Pow((v+0.055)/1.055, 2.4)
		}
	}
	w, h := img.Rect.Dx(), img.Rect.Dy()
	out := labImage{w: w, h: h, px: make([]lab, w*h)}
	parallel(h, func(y int) {
		row := img.Pix[y*img.Stride:]
		for x := range w {
			r, g, b := linear[row[4*x]], linear[row[4*x+1]], linear[row[4*x+2]]
			out.px[y*w+x] = xyzToLab(0.4124*r+0.3576*g+0.1805*b, 0.2126*r+0.7152*g+0.0722*b, 0.0193*r+0.1192*g+0.9505*b)
		}
	})
	return out
}

func xyzToLab(x, y, z float64) lab {
	f := func(t float64) float64 {
		if t > 216.0/24389 {
			return math.Cbrt(t)
		}
		return t*24389/27/116 + 16.0/116
	}
	fx, fy, fz := f(x/0.95047), f(y), f(z/1.08883)
	return lab{float32(116*fy - 16), float32(500 * (fx - fy)), float32(200 * (fy - fz))}
}

// mean3 is the mean colour of the 3×3 pixels around p, within the image.
func (m labImage) mean3(p image.Point) lab {
	var sum [3]float32
	n := float32(0)
	for y := max(p.Y-1, 0); y <= min(p.Y+1, m.h-1); y++ {
		for x := max(p.X-1, 0); x <= min(p.X+1, m.w-1); x++ {
			c := m.px[y*m.w+x]
			sum[0], sum[1], sum[2] = sum[0]+c[0], sum[1]+c[1], sum[2]+c[2]
			n++
		}
	}
	return lab{sum[0] / n, sum[1] / n, sum[2] / n}
}

// seedPoint is a prompt point and the colour it stands for.
type seedPoint struct {
	at  image.Point
	ref lab
}

// grower grows regions from positive points within box, kept off the
// colours of negative points.
type grower struct {
	img      labImage
	box      image.Rectangle
	pos, neg []seedPoint
}

// tieDelta is how close (ΔE) a pixel's distances to a positive and to a
// negative colour must be for the nearer point, not colour, to decide.
const tieDelta = 2.3

// accept reports whether pixel i may join the region at tolerance tol: its
// colour is within tol of a positive point's, and nearer to it than to any
// negative point's (or, within tieDelta, the pixel is nearer in space to a
// positive point than to that negative one).
func (g *grower) accept(i int, tol float32) bool {
	c := g.img.px[i]
	dPos := float32(math.Inf(1))
	for _, s := range g.pos {
		dPos = min(dPos, c.dist(s.ref))
	}
	if dPos > tol {
		return false
	}
	p := image.Pt(i%g.img.w, i/g.img.w)
	for _, s := range g.neg {
		dNeg := c.dist(s.ref)
		if dNeg < dPos-tieDelta || (dNeg <= dPos+tieDelta && sqDist(p, s.at) < g.nearestPos(p)) {
			return false
		}
	}
	return true
}

// nearestPos is the squared distance from p to the nearest positive point.
func (g *grower) nearestPos(p image.Point) int {
	best := math.MaxInt
	for _, s := range g.pos {
		best = min(best, sqDist(p, s.at))
	}
	return best
}

func sqDist(a, b image.Point) int {
	dx, dy := a.X-b.X, a.Y-b.Y
	return dx*dx + dy*dy
}

// grow floods 4-connected pixels from the positive points at tolerance tol
// and returns the mask, one bool per pixel, row by row.
func (g *grower) grow(tol float32) []bool {
	w := g.img.w
	const (
		unseen = iota
		in
		out
	)
	state := make([]uint8, len(g.img.px))
	queue := make([]int32, 0, 4096)
	for _, s := range g.pos {
		if i := s.at.Y*w + s.at.X; state[i] == unseen {
			state[i] = in
			queue = append(queue, int32(i))
		}
	}
	for head := 0; head < len(queue); head++ {
		i := int(queue[head])
		x, y := i%w, i/w
		for _, n := range [4]image.Point{{x - 1, y}, {x + 1, y}, {x, y - 1}, {x, y + 1}} {
			j := n.Y*w + n.X
			if !n.In(g.box) || state[j] != unseen {
				continue
			}
			state[j] = out
			if g.accept(j, tol) {
				state[j] = in
				queue = append(queue, int32(j))
			}
		}
	}
	mask := make([]bool, len(state))
	for i, s := range state {
		mask[i] = s == in
	}
	return mask
}
