package openapi_test

import (
	"bytes"
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/castmesh/castmesh/ai/openapi"
	"github.com/castmesh/castmesh/ai/pipeline/pipelinetest"
)

// TestMultipartPartsBounded: Issue #12 finding 14: multipart parts were
// unbounded in request validation: kin-openapi decoded every part of a
// body within the size limit, however many. Past 32 parts, or a text field
// past 4 MiB, the request is refused before it decodes any.
func TestMultipartPartsBounded(t *testing.T) {
	v, err := openapi.NewValidator(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	img := pipelinetest.PNG(t, 8, 8)
	build := func(extra int, fieldBytes int) (string, []byte) {
		var b bytes.Buffer
		w := multipart.NewWriter(&b)
		_ = w.WriteField("prompt", "x")
		_ = w.WriteField("model_id", strings.Repeat("m", fieldBytes))
		fw, _ := w.CreateFormFile("image", "a.png")
		_, _ = fw.Write(img)
		for i := range extra {
			_ = w.WriteField(fmt.Sprintf("junk%d", i), "1")
		}
		_ = w.Close()
		return w.FormDataContentType(), b.Bytes()
	}
	tests := []struct {
		name       string
		extra      int
		fieldBytes int
		code       string
	}{
		{"within bounds", 0, 1, ""},
		{"too many parts", 100_000, 1, "invalid_body"},
		{"a huge text field", 0, 5 << 20, "invalid_field"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ct, body := build(tt.extra, tt.fieldBytes)
			r := httptest.NewRequestWithContext(t.Context(), http.MethodPost, "/upscale", nil)
			r.Header.Set("Content-Type", ct)
			err := v.Validate(t.Context(), r, body)
			if tt.code == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var e *openapi.Error
			// The message says which bound: kin-openapi, which decodes
			// first otherwise, would complain of the fields instead.
			if !errors.As(err, &e) || e.Code != tt.code || e.Status != 400 || !strings.Contains(e.Message, "than") {
				t.Fatalf("got %v, want 400 %s", err, tt.code)
			}
		})
	}
}
