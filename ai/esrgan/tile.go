package esrgan

import "image"

// tile is one network run: it produces the output for core and reads in,
// which is core grown by the margin and clipped to the image. Along the
// image's edges the network pads with zeros exactly as it does in a
// whole-image run; elsewhere the margin supplies the real neighbours.
type tile struct {
	core, in image.Rectangle
}

// tiles cuts b into the fewest tiles of at most size × size, of nearly
// equal size (no thin slivers along the right and bottom edges).
func tiles(b image.Rectangle, size, pad int) []tile {
	xs, ys := cuts(b.Min.X, b.Max.X, size), cuts(b.Min.Y, b.Max.Y, size)
	ts := make([]tile, 0, (len(xs)-1)*(len(ys)-1))
	for j := range len(ys) - 1 {
		for i := range len(xs) - 1 {
			core := image.Rect(xs[i], ys[j], xs[i+1], ys[j+1])
			ts = append(ts, tile{core: core, in: core.Inset(-pad).Intersect(b)})
		}
	}
	return ts
}

// cuts returns the boundaries lo = c0 < c1 < … < cn = hi of the fewest
// near-equal spans of at most size.
func cuts(lo, hi, size int) []int {
	n := ceilDiv(hi-lo, size)
	c := make([]int, n+1)
	for i := range c {
		c[i] = lo + (hi-lo)*i/n
	}
	return c
}
