package openapi_test

import (
	"errors"
	"net/http"
	"testing"

	"github.com/castmesh/castmesh/ai/openapi"
	"github.com/castmesh/castmesh/ai/pipeline/pipelinetest"
)

// FuzzValidate feeds arbitrary bodies, content types and paths to the
// request validation every AI request passes first: it must answer nil or
// an *Error with a 4xx status, and never panic.
func FuzzValidate(f *testing.F) {
	ct, form := pipelinetest.Form(f, map[string]string{"prompt": "x", "model_id": ""},
		pipelinetest.Image(pipelinetest.PNG(f, 8, 8)))
	f.Add("/upscale", ct, form)
	f.Add("/text-to-image", "application/json", []byte(`{"prompt":"a","model_id":"","width":64}`))
	f.Add("/llm", "application/json", []byte(`{"messages":[{"role":"user","content":"hi"}]}`))
	f.Add("/text-to-speech", "application/json", []byte(`{"text":"x"}`))
	f.Add("/audio-to-text", "multipart/form-data; boundary=b", []byte("--b\r\nContent-Disposition: form-data; name=\"audio\"\r\n\r\n\x00\r\n--b--\r\n"))
	f.Add("/image-to-video/result", "application/json", []byte(`{"request_id":"x"}`))
	v, err := openapi.NewValidator(f.Context())
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, path, contentType string, body []byte) {
		if len(body) > 1<<20 {
			return
		}
		r, err := http.NewRequestWithContext(t.Context(), http.MethodPost, "http://gw"+path, nil)
		if err != nil {
			return // not a path a server would route
		}
		r.Header.Set("Content-Type", contentType)
		err = v.Validate(t.Context(), r, body)
		if err == nil {
			return
		}
		var e *openapi.Error
		if !errors.As(err, &e) || e.Status < 400 || e.Status > 499 || e.Code == "" {
			t.Fatalf("%q %q: %#v", path, contentType, err)
		}
	})
}
