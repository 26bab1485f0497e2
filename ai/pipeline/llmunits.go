package pipeline

import (
	"bufio"
	"bytes"
	"encoding/json"
	"mime"
	"strings"
)

// LLMAnswerUnits is what an llm answer costs, read from the answer itself:
// a whole answer's usage, or a server-sent-event stream's chunks (the last
// usage reported, else one token per chunk with content). Gateway and
// orchestrator both call it on the same bytes, so they bill alike.
func LLMAnswerUnits(req *LLMParams, contentType string, body []byte) int64 {
	if mt, _, _ := mime.ParseMediaType(contentType); mt != "text/event-stream" {
		var r LLMResponse
		if json.Unmarshal(body, &r) != nil {
			return LLMUnits(req, LLMTokenUsage{}, 0)
		}
		return LLMUnits(req, r.Usage, 0)
	}
	var usage LLMTokenUsage
	chunks := 0
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		data, ok := strings.CutPrefix(sc.Text(), "data:")
		data = strings.TrimSpace(data)
		if !ok || data == "[DONE]" {
			continue
		}
		var r LLMResponse
		if json.Unmarshal([]byte(data), &r) != nil {
			continue
		}
		if r.Usage.CompletionTokens > 0 {
			usage = r.Usage
		}
		for _, c := range r.Choices {
			if c.Delta != nil && c.Delta.Content != "" {
				chunks++
				break
			}
		}
	}
	return LLMUnits(req, usage, chunks)
}
