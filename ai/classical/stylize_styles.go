package classical

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// style is a named ffmpeg filter chain. Its graph reads one RGBA frame and
// writes one of the same size.
type style struct {
	name     string
	keywords []string // words of a prompt that pick this style
	seeded   bool     // whether graph depends on the seed
	graph    func(seed int64) string
}

// smoothing is edge-preserving: it flattens texture (fur, noise, JPEG
// blocks) so that neither the quantiser nor the edge detector dwells on it.
const smoothing = "bilateral=sigmaS=6:sigmaR=0.12"

// edges draws white edge lines on black.
const edges = "format=gray,edgedetect=low=0.06:high=0.18"

// styles lists the styles; the first is the default one. One smoothing
// feeds both branches of a graph: at 4096² each bilateral filter holds
// about a gigabyte.
func styles() []style {
	return []style{
		{name: "cartoon", keywords: []string{"cartoon", "comic", "toon", "anime", "cel"}, seeded: true, graph: func(seed int64) string {
			return smoothing + ",split[a][b];[a]" + quantise(seed) + ",format=gbrp[c];[b]" + edges +
				",negate,format=gbrp[e];[c][e]blend=all_mode=multiply,format=rgba"
		}},
		{name: "posterize", keywords: []string{"posterize", "posterise", "poster", "flat", "pop"}, seeded: true, graph: func(seed int64) string {
			return smoothing + "," + quantise(seed) + ",format=rgba"
		}},
		{name: "sketch", keywords: []string{"sketch", "pencil", "drawing", "ink", "lineart"}, graph: func(int64) string {
			return smoothing + "," + edges + ",negate,format=rgba"
		}},
		{name: "neon", keywords: []string{"neon", "glow", "edges", "cyberpunk", "synthwave"}, seeded: true, graph: func(seed int64) string {
			hue := uint64(seed) % 360
			return fmt.Sprintf("split[a][b];[a]%s,%s,dilation,format=gbrp[e];[b]hue=h=%d:s=2.5,eq=brightness=0.15,format=gbrp[c];"+
				"[e][c]blend=all_mode=multiply,format=rgba", smoothing, edges, hue)
		}},
	}
}

// quantise maps colours to a seeded codebook of 8, 12 or 16 colours
// (ELBG, itself seeded).
func quantise(seed int64) string {
	colours := [...]int{8, 12, 16}[uint64(seed)%3]
	return fmt.Sprintf("elbg=l=%d:n=1:s=%d", colours, uint64(seed)%(1<<31))
}

// styleNames lists the styles' names.
func styleNames() []string {
	var names []string
	for _, s := range styles() {
		names = append(names, s.name)
	}
	return names
}

// pickStyle returns the style named by the earliest keyword in prompt, or
// the style called def when the prompt names none.
func pickStyle(prompt, def string) style {
	all := styles()
	for _, word := range strings.FieldsFunc(strings.ToLower(prompt), func(r rune) bool { return !unicode.IsLetter(r) }) {
		for _, s := range all {
			if slices.Contains(s.keywords, word) {
				return s
			}
		}
	}
	i := slices.IndexFunc(all, func(s style) bool { return s.name == def })
	return all[max(i, 0)]
}
