package flite

import (
	"slices"
	"strings"
	"unicode"
)

// fliteVoices are the voices built into Debian's flite 2.2 (flite -lv).
// flite silently speaks with kal when asked for a voice it lacks.
func fliteVoices() []string { return []string{"slt", "rms", "awb", "kal", "kal16"} }

// voice is a speaker as each engine names it.
type voice struct {
	flite, espeak string
}

// espeakVoice is the espeak-ng voice closest to a flite one.
func espeakVoice(flite string) string {
	switch flite {
	case "slt":
		return "en-us+f3"
	case "awb":
		return "en-gb-scotland"
	}
	return "en-us"
}

// pickVoice picks the voice a description asks for, by the rules in the
// package doc.
func pickVoice(description, fallback string) voice {
	words := strings.FieldsFunc(strings.ToLower(description), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	name := fallback
	for _, rule := range []struct {
		voice string
		words []string
	}{
		{"", fliteVoices()},
		{"slt", []string{"female", "woman", "women", "girl", "lady", "feminine", "she", "her"}},
		{"awb", []string{"scottish", "scotland", "scots"}},
		{"rms", []string{"male", "man", "men", "boy", "gentleman", "masculine", "he", "his"}},
	} {
		if i := slices.IndexFunc(words, func(w string) bool { return slices.Contains(rule.words, w) }); i >= 0 {
			name = rule.voice
			if name == "" {
				name = words[i]
			}
			break
		}
	}
	return voice{flite: name, espeak: espeakVoice(name)}
}
