package openapi

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
)

// Bounds on a multipart/form-data body (RFC 7578) checked before
// kin-openapi decodes it, which keeps every part it finds in memory: a
// body within the size limit could otherwise be a million tiny parts.
// They match pipeline.DefaultLimits, which the decoder checks again.
const (
	// maxParts is well above the dozen fields the widest operation has.
	maxParts = 32
	// maxFieldBytes bounds a text field; a 256 × 256 SAM mask_input as
	// JSON is about 1 MiB.
	maxFieldBytes = 4 << 20
)

// checkMultipart bounds the parts of a multipart body: their number, and
// the size of every part that is not a file.
func checkMultipart(contentType string, body []byte) error {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || mt != "multipart/form-data" {
		return nil
	}
	bad := func(msg string) error {
		return &Error{Status: http.StatusBadRequest, Code: "invalid_body", Message: msg}
	}
	if params["boundary"] == "" {
		return bad("multipart body without a boundary")
	}
	r := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	for n := 0; ; n++ {
		part, err := r.NextPart()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return bad("malformed multipart body: " + err.Error())
		}
		if n >= maxParts {
			return bad(fmt.Sprintf("more than %d parts", maxParts))
		}
		limit := int64(maxFieldBytes)
		if part.FileName() != "" || part.FormName() == "image" || part.FormName() == "audio" {
			limit = int64(len(body)) // files are bounded by the body limit
		}
		size, err := io.Copy(io.Discard, io.LimitReader(part, limit+1))
		if err != nil {
			return bad("malformed multipart body: " + err.Error())
		}
		if size > limit {
			return &Error{
				Status: http.StatusBadRequest, Code: "invalid_field", Field: part.FormName(),
				Message: fmt.Sprintf("%s: a text field is larger than %d bytes", part.FormName(), maxFieldBytes),
			}
		}
	}
}
