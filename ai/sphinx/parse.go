package sphinx

import (
	"bufio"
	"bytes"
	"math"
	"strconv"
	"strings"
)

// token is one entry of PocketSphinx's word timing: a word or a filler
// (<s>, </s>, <sil>, [NOISE], …), with its start and end in seconds.
type token struct {
	text       string
	start, end float64
}

// filler reports whether the token is not a word: PocketSphinx marks
// utterance bounds, silence and noise as <…>, […] or ++…++.
func (t token) filler() bool {
	return strings.HasPrefix(t.text, "<") || strings.HasPrefix(t.text, "[") || strings.HasPrefix(t.text, "+")
}

// parse reads pocketsphinx_continuous -time yes output: for each utterance
// a hypothesis line, then one "word start end confidence" line per word.
// Lines that are not word lines (the hypotheses) are skipped, as are
// entries whose times are not finite, negative or backwards. Alternative
// pronunciations lose their "(2)" suffix.
func parse(out []byte) []token {
	var tokens []token
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, len(out)+1)
	for sc.Scan() {
		if t, ok := parseLine(sc.Text()); ok {
			tokens = append(tokens, t)
		}
	}
	return tokens
}

// parseLine reads one "word start end confidence" line.
func parseLine(line string) (token, bool) {
	f := strings.Fields(line)
	if len(f) != 4 {
		return token{}, false
	}
	var v [3]float64
	for i, s := range f[1:] {
		x, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return token{}, false
		}
		v[i] = x
	}
	if v[0] < 0 || v[1] < v[0] {
		return token{}, false
	}
	return token{text: baseWord(f[0]), start: v[0], end: v[1]}, true
}

// baseWord strips a pronunciation variant: "the(2)" is "the".
func baseWord(w string) string {
	if i := strings.IndexByte(w, '('); i > 0 && strings.HasSuffix(w, ")") {
		return w[:i]
	}
	return w
}
