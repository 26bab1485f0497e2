package sphinx

import (
	"strings"

	"github.com/castmesh/castmesh/ai/pipeline"
)

// respond builds the response from the tokens in time order: the words as
// text, and chunks per mode. A sentence ends at an utterance bound (<s>,
// </s>), at a filler of at least gap seconds, or where gap seconds pass
// between two words.
func respond(tokens []token, mode chunkMode, gap float64) pipeline.TextResponse {
	words, sentences := group(tokens, gap)
	resp := pipeline.TextResponse{Text: joinText(words), Chunks: []pipeline.Chunk{}}
	switch mode {
	case chunkWords:
		resp.Chunks = words
	case chunkSentences:
		for _, s := range sentences {
			resp.Chunks = append(resp.Chunks, pipeline.Chunk{
				Timestamp: [2]float64{s[0].Timestamp[0], s[len(s)-1].Timestamp[1]},
				Text:      joinText(s),
			})
		}
	case chunkNone:
	}
	return resp
}

// group returns the words, one chunk each, and the same words split into
// sentences.
func group(tokens []token, gap float64) (words []pipeline.Chunk, sentences [][]pipeline.Chunk) {
	words = []pipeline.Chunk{}
	var cur []pipeline.Chunk
	flush := func() {
		if len(cur) > 0 {
			sentences = append(sentences, cur)
			cur = nil
		}
	}
	for _, t := range tokens {
		if t.filler() {
			if t.text == "<s>" || t.text == "</s>" || t.end-t.start >= gap {
				flush()
			}
			continue
		}
		if len(cur) > 0 && t.start-cur[len(cur)-1].Timestamp[1] >= gap {
			flush()
		}
		w := pipeline.Chunk{Timestamp: [2]float64{t.start, t.end}, Text: t.text}
		words = append(words, w)
		cur = append(cur, w)
	}
	flush()
	return words, sentences
}

// joinText is the chunks' words separated by spaces.
func joinText(chunks []pipeline.Chunk) string {
	var b strings.Builder
	for i, c := range chunks {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(c.Text)
	}
	return b.String()
}
