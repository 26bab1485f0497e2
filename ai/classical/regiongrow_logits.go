package classical

import "math"

// logitSide is the side of SAM's low-resolution mask logits.
const logitSide = 256

// logitCap bounds the logits' magnitude, in cells.
const logitCap = 32

// logits is the mask as SAM2's low-resolution logits are shaped: 256 × 256
// cells over the whole image stretched to a square (SAM2 resizes its input
// to 1024² without keeping the aspect ratio, and its logits are a quarter
// of that). Each value is the signed distance, in cells, from the cell to
// the mask's edge: positive inside, negative outside, never 0, capped at
// ±32, so thresholding at 0 gives the mask back at that resolution. A
// cell is inside when at least half of 4 × 4 samples spread over it are.
func logits(mask []bool, w, h int) [][]float32 {
	inside := make([]bool, logitSide*logitSide)
	for cy := range logitSide {
		for cx := range logitSide {
			n := 0
			for sy := range 4 {
				y := int((float64(cy) + (float64(sy)+0.5)/4) * float64(h) / logitSide)
				for sx := range 4 {
					x := int((float64(cx) + (float64(sx)+0.5)/4) * float64(w) / logitSide)
					if mask[y*w+x] {
						n++
					}
				}
			}
			inside[cy*logitSide+cx] = n >= 8
		}
	}
	toOut, toIn := distanceTo(inside, false), distanceTo(inside, true)
	out := make([][]float32, logitSide)
	for cy := range out {
		out[cy] = make([]float32, logitSide)
		for cx := range out[cy] {
			i := cy*logitSide + cx
			if inside[i] {
				out[cy][cx] = min(toOut[i], logitCap)
			} else {
				out[cy][cx] = -min(toIn[i], logitCap)
			}
		}
	}
	return out
}

// distanceTo is, for every cell, the chamfer distance (1 across a side,
// √2 across a corner) to the nearest cell whose value is want; cells with
// it are 0 and, with none at all, every cell is +Inf.
func distanceTo(cells []bool, want bool) []float32 {
	const n = logitSide
	d := make([]float32, len(cells))
	for i, c := range cells {
		if c != want {
			d[i] = float32(math.Inf(1))
		}
	}
	diag := float32(math.Sqrt2)
	relax := func(i, x, y int, dx, dy int, cost float32) {
		if x+dx >= 0 && x+dx < n && y+dy >= 0 && y+dy < n {
			d[i] = min(d[i], d[(y+dy)*n+x+dx]+cost)
		}
	}
	for y := range n {
		for x := range n {
			i := y*n + x
			relax(i, x, y, -1, 0, 1)
			relax(i, x, y, 0, -1, 1)
			relax(i, x, y, -1, -1, diag)
			relax(i, x, y, 1, -1, diag)
		}
	}
	for y := n - 1; y >= 0; y-- {
		for x := n - 1; x >= 0; x-- {
			i := y*n + x
			relax(i, x, y, 1, 0, 1)
			relax(i, x, y, 0, 1, 1)
			relax(i, x, y, 1, 1, diag)
			relax(i, x, y, -1, 1, diag)
		}
	}
	return d
}
