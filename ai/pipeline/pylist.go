package pipeline

import (
	"math"
	"strconv"
	"strings"
)

// FormatMasks writes masks as segment-anything-2 answers them: each field
// the Python text of a nested list (str(array.tolist())), so clients
// written for ai-runner parse them unchanged.
func FormatMasks(m Masks) MasksResponse {
	return MasksResponse{Masks: pyList3(m.Masks), Scores: pyList1(m.Scores), Logits: pyList3(m.Logits)}
}

func pyList3(v [][][]float32) string {
	var b strings.Builder
	b.WriteByte('[')
	for i, plane := range v {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('[')
		for j, row := range plane {
			if j > 0 {
				b.WriteString(", ")
			}
			writeList(&b, row)
		}
		b.WriteByte(']')
	}
	b.WriteByte(']')
	return b.String()
}

func pyList1(v []float32) string {
	var b strings.Builder
	writeList(&b, v)
	return b.String()
}

func writeList(b *strings.Builder, v []float32) {
	b.WriteByte('[')
	for i, x := range v {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(pyFloat(x))
	}
	b.WriteByte(']')
}

// pyFloat writes x as Python's repr of a float does: shortest round-trip
// digits, always with a decimal point or exponent, nan and inf spelled out.
func pyFloat(x float32) string {
	switch {
	case math.IsNaN(float64(x)):
		return "nan"
	case math.IsInf(float64(x), 1):
		return "inf"
	case math.IsInf(float64(x), -1):
		return "-inf"
	}
	s := strconv.FormatFloat(float64(x), 'g', -1, 32)
	if !strings.ContainsAny(s, ".eE") {
		s += ".0"
	}
	return s
}
