// Package openapi is castmesh's AI gateway API document (openapi.yaml,
// embedded and served at /openapi.yaml) and the check every AI request
// passes before any work is done: kin-openapi validates the request's
// parameters, content type and body against the document, and failures
// come back as *Error with the HTTP status and a stable code.
package openapi

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

//go:embed openapi.yaml
var document []byte

// Document returns the OpenAPI document, YAML.
func Document() []byte { return bytes.Clone(document) }

// Load parses and checks an OpenAPI document.
func Load(ctx context.Context, data []byte) (*openapi3.T, error) {
	doc, err := openapi3.NewLoader().LoadFromData(data)
	if err != nil {
		return nil, fmt.Errorf("openapi: %w", err)
	}
	if err := doc.Validate(ctx); err != nil {
		return nil, fmt.Errorf("openapi: %w", err)
	}
	return doc, nil
}

// Validator checks requests against the document.
type Validator struct {
	doc    *openapi3.T
	router routers.Router
}

// NewValidator loads the embedded document.
func NewValidator(ctx context.Context) (*Validator, error) {
	doc, err := Load(ctx, document)
	if err != nil {
		return nil, err
	}
	doc.Servers = nil // match requests on any host
	router, err := legacy.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("openapi: %w", err)
	}
	return &Validator{doc: doc, router: router}, nil
}

// Validate checks r, whose body has been read into body (r.Body is not
// read). The error is an *Error.
func (v *Validator) Validate(ctx context.Context, r *http.Request, body []byte) error {
	route, params, err := v.router.FindRoute(r)
	if err != nil {
		return &Error{Status: http.StatusNotFound, Code: "not_found", Message: err.Error()}
	}
	if err := checkContentType(route, r.Header.Get("Content-Type")); err != nil {
		return err
	}
	if err := checkMultipart(r.Header.Get("Content-Type"), body); err != nil {
		return err
	}
	req := r.Clone(ctx)
	req.Body = http.NoBody
	if len(body) > 0 {
		req.Body = readCloser{bytes.NewReader(body)}
		req.ContentLength = int64(len(body))
		req.GetBody = nil
	}
	in := &openapi3filter.RequestValidationInput{
		Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{
			AuthenticationFunc: openapi3filter.NoopAuthenticationFunc,
			MultiError:         false,
		},
	}
	if err := openapi3filter.ValidateRequest(ctx, in); err != nil {
		return toError(err)
	}
	return nil
}

type readCloser struct{ *bytes.Reader }

func (readCloser) Close() error { return nil }

// checkContentType answers 415 for a body whose media type the operation
// does not take, before kin-openapi reads it.
func checkContentType(route *routers.Route, contentType string) error {
	rb := route.Operation.RequestBody
	if rb == nil || rb.Value == nil {
		return nil
	}
	mt, _, err := mime.ParseMediaType(contentType)
	if err == nil && rb.Value.Content.Get(mt) != nil {
		return nil
	}
	want := make([]string, 0, len(rb.Value.Content))
	for k := range rb.Value.Content {
		want = append(want, k)
	}
	return &Error{
		Status: http.StatusUnsupportedMediaType, Code: "unsupported_media_type",
		Message: fmt.Sprintf("%s takes %s, got %q", route.Path, strings.Join(want, " or "), contentType),
	}
}

// Error is a request the document refuses.
type Error struct {
	Status int
	// Code is stable and snake_case: invalid_field, invalid_parameter,
	// missing_body, invalid_body, unsupported_media_type, not_found.
	Code string
	// Field names the field or parameter at fault, dotted for nested ones.
	Field   string
	Message string
}

func (e *Error) Error() string { return e.Message }

func toError(err error) *Error {
	var re *openapi3filter.RequestError
	if !errors.As(err, &re) {
		return &Error{Status: http.StatusBadRequest, Code: "invalid_request", Message: err.Error()}
	}
	if re.Parameter != nil {
		return &Error{
			Status: http.StatusBadRequest, Code: "invalid_parameter", Field: re.Parameter.Name,
			Message: fmt.Sprintf("parameter %s: %s", re.Parameter.Name, reason(re.Err)),
		}
	}
	if errors.Is(re.Err, openapi3filter.ErrInvalidRequired) {
		return &Error{Status: http.StatusBadRequest, Code: "missing_body", Message: "the request has no body"}
	}
	var se *openapi3.SchemaError
	if errors.As(re.Err, &se) {
		field := strings.Join(se.JSONPointer(), ".")
		return &Error{
			Status: http.StatusBadRequest, Code: "invalid_field", Field: field,
			Message: fmt.Sprintf("%s: %s", orBody(field), se.Reason),
		}
	}
	var pe *openapi3filter.ParseError
	if errors.As(re.Err, &pe) {
		field := pathString(pe.Path())
		if value, why := parseReason(pe); field != "" && why != "" {
			// A form field of the wrong type, e.g. seed=four.
			return &Error{
				Status: http.StatusBadRequest, Code: "invalid_field", Field: field,
				Message: fmt.Sprintf("%s: %q is %s", field, value, why),
			}
		}
		return &Error{
			Status: http.StatusBadRequest, Code: "invalid_body", Field: field,
			Message: fmt.Sprintf("%s: %s", orBody(field), pe.Error()),
		}
	}
	return &Error{Status: http.StatusBadRequest, Code: "invalid_body", Message: re.Error()}
}

// parseReason finds the innermost reason a parse error gives, with the
// value it refused.
func parseReason(pe *openapi3filter.ParseError) (value, why string) {
	for pe != nil {
		if pe.Reason != "" {
			value, why = fmt.Sprint(pe.Value), pe.Reason
		}
		var next *openapi3filter.ParseError
		if !errors.As(pe.Cause, &next) {
			break
		}
		pe = next
	}
	return value, why
}

func reason(err error) string {
	var se *openapi3.SchemaError
	if errors.As(err, &se) {
		return se.Reason
	}
	if err == nil {
		return "invalid"
	}
	return err.Error()
}

func orBody(field string) string {
	if field == "" {
		return "body"
	}
	return field
}

func pathString(p []any) string {
	parts := make([]string, 0, len(p))
	for _, x := range p {
		parts = append(parts, fmt.Sprint(x))
	}
	return strings.Join(parts, ".")
}
