package pipeline_test

import (
	"testing"

	"github.com/castmesh/castmesh/ai/pipeline"
	"github.com/castmesh/castmesh/ai/pipeline/pipelinetest"
)

// FuzzDecodeMultipart feeds arbitrary multipart bodies to every multipart
// pipeline: decoding must fail cleanly or yield a request within limits.
func FuzzDecodeMultipart(f *testing.F) {
	ct, body := pipelinetest.Form(f, map[string]string{"prompt": "a", "seed": "1", "metadata": "{}"},
		pipelinetest.Image(pipelinetest.PNG(f, 8, 8)), pipelinetest.Part{Name: "audio", Data: []byte("x")})
	_, boundary, _ := cutBoundary(ct)
	f.Add(boundary, body)
	f.Add("b", []byte("--b\r\nContent-Disposition: form-data; name=\"image\"\r\n\r\n\x89PNG\r\n--b--\r\n"))
	f.Add("b", []byte("--b\r\n\r\n--b--"))
	d := pipeline.Decoder{Limits: pipeline.DefaultLimits()}
	f.Fuzz(func(t *testing.T, boundary string, body []byte) {
		ct := "multipart/form-data; boundary=\"" + boundary + "\""
		for _, name := range pipeline.Batch() {
			if !name.Multipart() {
				continue
			}
			req, err := d.Decode(t.Context(), name, ct, body)
			if err != nil {
				if !pipeline.IsInputError(err) {
					t.Fatalf("%s: %v is not an input error", name, err)
				}
				continue
			}
			if req.Pipeline() != name || req.Units() < 0 {
				t.Fatalf("%s: decoded %T with %d units", name, req, req.Units())
			}
		}
	})
}

func cutBoundary(ct string) (string, string, bool) {
	const key = "boundary="
	for i := 0; i+len(key) <= len(ct); i++ {
		if ct[i:i+len(key)] == key {
			return ct[:i], ct[i+len(key):], true
		}
	}
	return ct, "", false
}

// FuzzDecodeJSON feeds arbitrary JSON to the JSON pipelines.
func FuzzDecodeJSON(f *testing.F) {
	f.Add([]byte(`{"prompt":"a","width":512,"height":512,"seed":3}`))
	f.Add([]byte(`{"messages":[{"role":"user","content":"hi"}],"stream":true}`))
	f.Add([]byte(`{"text":"hello"}`))
	d := pipeline.Decoder{Limits: pipeline.DefaultLimits()}
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, name := range []pipeline.Name{pipeline.TextToImage, pipeline.LLM, pipeline.TextToSpeech} {
			req, err := d.Decode(t.Context(), name, "application/json", body)
			if err != nil {
				if !pipeline.IsInputError(err) {
					t.Fatalf("%s: %v is not an input error", name, err)
				}
				continue
			}
			if req.Units() < 0 {
				t.Fatalf("%s: %d units", name, req.Units())
			}
		}
	})
}

// FuzzParseDataURL checks parsing never panics and round-trips what it
// accepts.
func FuzzParseDataURL(f *testing.F) {
	f.Add("data:image/png;base64,iVBORw0KGgo=")
	f.Add("data:,a%20b")
	f.Add("data:text/plain;charset=utf-8;base64,aGk")
	f.Fuzz(func(t *testing.T, s string) {
		mt, data, err := pipeline.ParseDataURL(s)
		if err != nil {
			return
		}
		mt2, data2, err := pipeline.ParseDataURL(pipeline.DataURL(mt, data))
		if err != nil || mt2 != mt || string(data2) != string(data) {
			t.Fatalf("%q does not round-trip: %q %v", s, mt2, err)
		}
	})
}

// FuzzDecodeResponse feeds arbitrary answers to every pipeline's decoder.
func FuzzDecodeResponse(f *testing.F) {
	f.Add([]byte(`{"images":[{"url":"data:image/png;base64,AA==","seed":1,"nsfw":false}]}`))
	f.Add([]byte(`{"frames":[[{"url":"data:image/png;base64,AA==","seed":1,"nsfw":false}]]}`))
	f.Add([]byte(`{"text":"hi","chunks":[{"timestamp":[0,1],"text":"hi"}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, name := range pipeline.Batch() {
			if r, err := pipeline.DecodeResponse(name, body); err == nil {
				for _, u := range r.Media() {
					if *u == "" {
						t.Fatalf("%s: accepted a file without a URL", name)
					}
				}
			}
		}
		if frames, err := pipeline.DecodeRunnerVideo(body); err == nil && len(frames) == 0 {
			t.Fatal("accepted a video without frames")
		}
	})
}
