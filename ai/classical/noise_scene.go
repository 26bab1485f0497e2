package classical

import (
	"hash/fnv"
	"image"
	"math"
)

// scene is one image's look, all of it derived from the prompt and seed.
type scene struct {
	key        uint64        // hashes the lattice values: prompt and seed
	palette    [4][3]float64 // RGB in 0..1, dark to light
	scale      float64       // noise cells across the shorter side
	warp       float64       // how far the warp fields displace the noise
	octaves    int           // detail layers of the main noise
	gradient   float64       // weight of a linear gradient against the noise
	dirX, dirY float64       // the gradient's direction, a unit vector
}

func newScene(prompt string, seed int64) scene {
	h := fnv.New64a()
	h.Write([]byte(prompt))
	byPrompt := stream(h.Sum64())
	layout := stream(mix64(h.Sum64() ^ mix64(uint64(seed))))
	s := scene{key: layout.next()}
	s.palette = newPalette(&byPrompt, &layout)
	s.scale = 1.5 + 3*layout.float()
	s.warp = 0.4 + 1.2*layout.float()
	s.octaves = 3 + int(layout.next()%3)
	s.gradient = 0.15 + 0.35*layout.float()
	angle := 2 * math.Pi * layout.float()
	s.dirX, s.dirY = math.Cos(angle), math.Sin(angle)
	return s
}

// newPalette picks four colours from dark to light: the base hue and the
// harmony (analogous, triadic …) come from the prompt, and the seed turns
// the hue by up to ±15°.
func newPalette(byPrompt, layout *stream) [4][3]float64 {
	spreads := [...]float64{25, 60, 120, 180}
	hue := 360*byPrompt.float() + 30*(layout.float()-0.5)
	spread := spreads[byPrompt.next()%uint64(len(spreads))]
	sat := 0.45 + 0.4*byPrompt.float()
	var p [4][3]float64
	for k := range p {
		f := float64(k) / 3
		p[k] = hsv(hue+spread*f, sat*(1-0.35*f), 0.12+0.83*f)
	}
	return p
}

// paint fills img with the scene, rows in parallel.
func (s scene) paint(img *image.NRGBA) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	short := float64(min(w, h))
	parallel(h, func(y int) {
		row := img.Pix[y*img.Stride:]
		for x := range w {
			c := s.color((float64(x)+0.5)/short, (float64(y)+0.5)/short, float64(x)/float64(w)-0.5, float64(y)/float64(h)-0.5)
			o := 4 * x
			row[o], row[o+1], row[o+2], row[o+3] = c[0], c[1], c[2], 255
		}
	})
}

// color is the colour at (u, v), in units of the shorter side, which is
// (gx, gy) in -0.5..0.5 across the whole image.
func (s scene) color(u, v, gx, gy float64) [3]uint8 {
	u, v = u*s.scale, v*s.scale
	wx := s.fbm(1, u, v, 3) - 0.5
	wy := s.fbm(2, u+5.2, v+1.3, 3) - 0.5
	n := s.fbm(0, u+s.warp*wx, v+s.warp*wy, s.octaves)
	n = clamp01((n-0.5)*2.2 + 0.5) // fBm crowds 0.5; spread it over the palette
	g := clamp01(gx*s.dirX + gy*s.dirY + 0.5)
	return s.lookup(clamp01((1-s.gradient)*n + s.gradient*g))
}

// lookup interpolates the palette at t in 0..1.
func (s scene) lookup(t float64) [3]uint8 {
	t *= float64(len(s.palette) - 1)
	i := min(int(t), len(s.palette)-2)
	f := smooth(t - float64(i))
	var c [3]uint8
	for ch := range c {
		a, b := s.palette[i][ch], s.palette[i+1][ch]
		c[ch] = uint8(math.Round(255 * (a + (b-a)*f)))
	}
	return c
}

// fbm is fractal value noise in 0..1: octaves layers, each twice the
// frequency and half the amplitude of the one before.
func (s scene) fbm(layer uint64, x, y float64, octaves int) float64 {
	sum, amp, norm := 0.0, 1.0, 0.0
	for o := range octaves {
		sum += amp * s.noise(layer<<8|uint64(o), x, y)
		norm += amp
		amp /= 2
		x, y = 2*x+17.1, 2*y+31.7 // the shift keeps octaves' lattices apart
	}
	return sum / norm
}

// noise is value noise in 0..1: hashed values at integer lattice points,
// blended with a smoothstep.
func (s scene) noise(layer uint64, x, y float64) float64 {
	fx, fy := math.Floor(x), math.Floor(y)
	ix, iy := int64(fx), int64(fy)
	tx, ty := smooth(x-fx), smooth(y-fy)
	k := mix64(s.key ^ layer)
	a := lerp(s.lattice(k, ix, iy), s.lattice(k, ix+1, iy), tx)
	b := lerp(s.lattice(k, ix, iy+1), s.lattice(k, ix+1, iy+1), tx)
	return lerp(a, b, ty)
}

func (s scene) lattice(k uint64, ix, iy int64) float64 {
	return float64(mix64(k^uint64(ix)<<32^uint64(uint32(iy)))>>11) / (1 << 53)
}

// stream is a splitmix64 generator: deterministic on every platform and
// Go release, which keeps images byte-identical for a seed.
type stream uint64

func (s *stream) next() uint64 {
	*s += 0x9E3779B97F4A7C15
	return mix64(uint64(*s))
}

// float returns a number in [0, 1).
func (s *stream) float() float64 { return float64(s.next()>>11) / (1 << 53) }

// mix64 is splitmix64's finaliser.
func mix64(z uint64) uint64 {
	z = (z ^ z>>30) * 0xBF58476D1CE4E5B9
	z = (z ^ z>>27) * 0x94D049BB133111EB
	return z ^ z>>31
}

// hsv converts a hue in degrees, saturation and value in 0..1 to RGB.
func hsv(h, s, v float64) [3]float64 {
	h = math.Mod(math.Mod(h, 360)+360, 360) / 60
	c := v * s
	x := c * (1 - math.Abs(math.Mod(h, 2)-1))
	var r, g, b float64
	switch int(h) {
	case 0:
		r, g = c, x
	case 1:
		r, g = x, c
	case 2:
		g, b = c, x
	case 3:
		g, b = x, c
	case 4:
		r, b = x, c
	default:
		r, b = c, x
	}
	m := v - c
	return [3]float64{r + m, g + m, b + m}
}

func smooth(t float64) float64     { return t * t * (3 - 2*t) }
func lerp(a, b, t float64) float64 { return a + (b-a)*t }
func clamp01(t float64) float64    { return min(max(t, 0), 1) }
