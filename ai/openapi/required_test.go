package openapi_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/castmesh/castmesh/ai/openapi"
	"github.com/castmesh/castmesh/ai/pipeline/pipelinetest"
)

// TestModelIDRequiredAsLivepeerSpec: Issue #12 finding 15: the Livepeer
// gateway document (runner/gateway.openapi.yaml) marks model_id required
// on every pipeline but llm (on /text-to-speech it is the only required
// field); a request without it passed here. Each case is a request
// complete but for model_id, then the same with it.
func TestModelIDRequiredAsLivepeerSpec(t *testing.T) {
	v, err := openapi.NewValidator(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	img := pipelinetest.Image(pipelinetest.PNG(t, 8, 8))
	audio := pipelinetest.Part{Name: "audio", FileName: "a.wav", Data: []byte{1}}
	tests := []struct {
		path   string
		json   string            // JSON body without model_id, or
		fields map[string]string // form fields without model_id
		parts  []pipelinetest.Part
	}{
		{path: "/text-to-image", json: `{"prompt":"a cat"}`},
		{path: "/text-to-speech", json: `{"text":"hello"}`},
		{path: "/image-to-image", fields: map[string]string{"prompt": "x"}, parts: []pipelinetest.Part{img}},
		{path: "/image-to-video", parts: []pipelinetest.Part{img}},
		{path: "/upscale", fields: map[string]string{"prompt": "x"}, parts: []pipelinetest.Part{img}},
		{path: "/audio-to-text", parts: []pipelinetest.Part{audio}},
		{path: "/segment-anything-2", parts: []pipelinetest.Part{img}},
		{path: "/image-to-text", parts: []pipelinetest.Part{img}},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			build := func(withModel bool) (string, []byte) {
				if tt.json != "" {
					body := tt.json
					if withModel {
						body = strings.Replace(body, "{", `{"model_id":"",`, 1)
					}
					return "application/json", []byte(body)
				}
				fields := map[string]string{}
				for k, v := range tt.fields {
					fields[k] = v
				}
				if withModel {
					fields["model_id"] = "some/model"
				}
				return pipelinetest.Form(t, fields, tt.parts...)
			}
			check := func(withModel bool) error {
				ct, body := build(withModel)
				r := httptest.NewRequestWithContext(t.Context(), http.MethodPost, tt.path, strings.NewReader(string(body)))
				r.Header.Set("Content-Type", ct)
				return v.Validate(t.Context(), r, body)
			}
			var e *openapi.Error
			if err := check(false); !errors.As(err, &e) || e.Status != 400 || e.Field != "model_id" {
				t.Fatalf("without model_id: %v, want 400 naming model_id", err)
			}
			if err := check(true); err != nil {
				t.Fatalf("with model_id: %v", err)
			}
		})
	}
	// llm names its model in "model", which Livepeer leaves optional.
	r := httptest.NewRequestWithContext(t.Context(), http.MethodPost, "/llm", nil)
	r.Header.Set("Content-Type", "application/json")
	if err := v.Validate(t.Context(), r, []byte(`{"messages":[{"role":"user","content":"hi"}]}`)); err != nil {
		t.Fatalf("llm without a model: %v", err)
	}
}
