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

func TestDocumentIsValid(t *testing.T) {
	doc, err := openapi.Load(t.Context(), openapi.Document())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{
		"/text-to-image", "/image-to-image", "/image-to-video", "/image-to-video/result", "/upscale",
		"/audio-to-text", "/segment-anything-2", "/llm", "/image-to-text", "/text-to-speech",
	} {
		if doc.Paths.Find(p) == nil {
			t.Errorf("%s is missing", p)
		}
	}
}

func TestValidate(t *testing.T) {
	v, err := openapi.NewValidator(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	img := pipelinetest.PNG(t, 8, 8)
	form := func(fields map[string]string, parts ...pipelinetest.Part) (string, string) {
		ct, b := pipelinetest.Form(t, fields, parts...)
		return ct, string(b)
	}
	tests := []struct {
		name, path, query string
		body              func() (string, string)
		status            int
		code, field       string
	}{
		{"ok json", "/text-to-image", "", js(`{"prompt":"a cat","model_id":""}`), 0, "", ""},
		{"ok multipart", "/upscale", "?media=data", func() (string, string) {
			return form(map[string]string{"prompt": "x", "seed": "4", "model_id": "m"}, pipelinetest.Image(img))
		}, 0, "", ""},
		{"missing prompt", "/text-to-image", "", js(`{"width":64}`), 400, "invalid_field", "prompt"},
		{"wrong type", "/text-to-image", "", js(`{"prompt":"a","model_id":"","width":"wide"}`), 400, "invalid_field", "width"},
		{"too large", "/text-to-image", "", js(`{"prompt":"a","model_id":"","height":4096}`), 400, "invalid_field", "height"},
		{"nested", "/llm", "", js(`{"messages":[{"role":"user"}]}`), 400, "invalid_field", "messages.0.content"},
		{"missing image", "/upscale", "", func() (string, string) { return form(map[string]string{"prompt": "x", "model_id": ""}) }, 400, "invalid_field", "image"},
		{"multipart wrong type", "/upscale", "", func() (string, string) {
			return form(map[string]string{"prompt": "x", "model_id": "", "seed": "four"}, pipelinetest.Image(img))
		}, 400, "invalid_field", "seed"},
		{"bad enum", "/audio-to-text", "", func() (string, string) {
			return form(map[string]string{"model_id": "", "return_timestamps": "always"}, pipelinetest.Part{Name: "audio", Data: []byte{1}})
		}, 400, "invalid_field", "return_timestamps"},
		{"bad query", "/upscale", "?media=pigeon", func() (string, string) {
			return form(map[string]string{"prompt": "x"}, pipelinetest.Image(img))
		}, 400, "invalid_parameter", "media"},
		{"json to multipart", "/upscale", "", js(`{"prompt":"x"}`), 415, "unsupported_media_type", ""},
		{"form to json", "/llm", "", func() (string, string) { return form(nil) }, 415, "unsupported_media_type", ""},
		{"no body", "/text-to-image", "", js(``), 400, "missing_body", ""},
		{"not json", "/text-to-image", "", js(`{"prompt":`), 400, "invalid_body", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ct, body := tt.body()
			r := httptest.NewRequestWithContext(t.Context(), http.MethodPost, tt.path+tt.query, strings.NewReader(body))
			r.Header.Set("Content-Type", ct)
			err := v.Validate(t.Context(), r, []byte(body))
			if tt.status == 0 {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var e *openapi.Error
			if !errors.As(err, &e) || e.Status != tt.status || (tt.code != "" && e.Code != tt.code) || e.Field != tt.field {
				t.Fatalf("got %#v, want %d %s %q", err, tt.status, tt.code, tt.field)
			}
			if !strings.Contains(e.Message, tt.field) {
				t.Fatalf("message %q does not name %q", e.Message, tt.field)
			}
		})
	}
}

func js(s string) func() (string, string) {
	return func() (string, string) { return "application/json", s }
}
