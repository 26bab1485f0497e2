package sphinx

import (
	"math"
	"strings"
	"testing"
)

// sample is pocketsphinx_continuous -time yes output for two utterances.
const sample = `hello world
<s> 0.120 0.200 0.999900
hello(2) 0.210 0.570 0.895106
world 0.580 0.990 0.999700
</s> 1.000 1.440 1.000000
the lazy dog
<s> 3.150 3.250 0.999300
the 3.260 3.360 0.548993
lazy 3.370 3.800 0.999300
<sil> 3.810 4.300 0.873353
[NOISE] 4.310 4.330 0.5
dog 4.340 4.600 0.095010
</s> 4.610 4.700 1.000000
`

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []token
	}{
		{"empty", "", nil},
		{"hypothesis only", "the quick brown fox\n", nil},
		{"variant stripped", "read(2) 0.5 0.9 0.8\n", []token{{"read", 0.5, 0.9}}},
		{"crlf", "a 0.1 0.2 0.3\r\n", []token{{"a", 0.1, 0.2}}},
		{"backwards times skipped", "a 0.3 0.2 0.3\n", nil},
		{"negative start skipped", "a -1 0.2 0.3\n", nil},
		{"nan skipped", "a NaN 0.2 0.3\n", nil},
		{"inf skipped", "a 0 +Inf 0.3\n", nil},
		{"five fields skipped", "a b 0.1 0.2 0.3\n", nil},
		{"fillers kept", "<sil> 1 2 1\n", []token{{"<sil>", 1, 2}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := parse([]byte(tt.in))
			if len(got) != len(tt.want) {
				t.Fatalf("parse = %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("token %d = %v, want %v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestRespond(t *testing.T) {
	tokens := parse([]byte(sample))
	tests := []struct {
		mode   chunkMode
		chunks []string
	}{
		{chunkWords, []string{"hello", "world", "the", "lazy", "dog"}},
		// Split at the utterance bound and at the 490 ms <sil>.
		{chunkSentences, []string{"hello world", "the lazy", "dog"}},
		{chunkNone, []string{}},
	}
	for _, tt := range tests {
		resp := respond(tokens, tt.mode, 0.3)
		if resp.Text != "hello world the lazy dog" {
			t.Errorf("mode %d: text %q", tt.mode, resp.Text)
		}
		if resp.Chunks == nil {
			t.Errorf("mode %d: nil chunks", tt.mode)
		}
		var got []string
		for _, c := range resp.Chunks {
			got = append(got, c.Text)
		}
		if strings.Join(got, "|") != strings.Join(tt.chunks, "|") {
			t.Errorf("mode %d: chunks %q, want %q", tt.mode, got, tt.chunks)
		}
	}
	if c := respond(tokens, chunkSentences, 0.3).Chunks[1]; c.Timestamp != [2]float64{3.26, 3.8} {
		t.Errorf("sentence timestamp %v", c.Timestamp)
	}
}

func TestParseMode(t *testing.T) {
	for in, want := range map[string]chunkMode{"": chunkSentences, "true": chunkSentences, "Sentence": chunkSentences, "word": chunkWords, "false": chunkNone} {
		if got, err := parseMode(in); err != nil || got != want {
			t.Errorf("parseMode(%q) = %v, %v", in, got, err)
		}
	}
	if _, err := parseMode("always"); err == nil {
		t.Error("parseMode(always) succeeded")
	}
}

// FuzzParse checks that any output parses into sane tokens and that every
// chunk mode agrees with the text.
func FuzzParse(f *testing.F) {
	f.Add([]byte(sample))
	f.Add([]byte("a 1e308 1e309 0\n<s> 0 0 0\nb(2) 0 0 x\n"))
	f.Fuzz(func(t *testing.T, out []byte) {
		tokens := parse(out)
		words := 0
		for _, tk := range tokens {
			if math.IsNaN(tk.start) || math.IsInf(tk.end, 0) || tk.start < 0 || tk.end < tk.start {
				t.Fatalf("bad times %v", tk)
			}
			if tk.text == "" || strings.ContainsAny(tk.text, " \t\r\n") {
				t.Fatalf("bad text %q", tk.text)
			}
			if !tk.filler() {
				words++
			}
		}
		checkModes(t, tokens, words)
	})
}

func checkModes(t *testing.T, tokens []token, words int) {
	t.Helper()
	byWord := respond(tokens, chunkWords, 0.3)
	if len(byWord.Chunks) != words || joinText(byWord.Chunks) != byWord.Text {
		t.Fatalf("word chunks %v do not match text %q", byWord.Chunks, byWord.Text)
	}
	bySentence := respond(tokens, chunkSentences, 0.3)
	if joinText(bySentence.Chunks) != byWord.Text {
		t.Fatalf("sentence chunks %v do not match text %q", bySentence.Chunks, byWord.Text)
	}
	if none := respond(tokens, chunkNone, 0.3); none.Chunks == nil || len(none.Chunks) != 0 || none.Text != byWord.Text {
		t.Fatalf("no-chunk response %v", none)
	}
}
