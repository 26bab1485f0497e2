package pipeline

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"strconv"
	"strings"
)

// form is a parsed multipart/form-data body (RFC 7578): text fields and
// files by name, each given at most once.
type form struct {
	values map[string]string
	files  map[string]File
}

// isFileField reports whether a field carries a file in the ai-runner API.
func isFileField(name string) bool { return name == "image" || name == "audio" }

func readForm(body []byte, boundary string, lim Limits) (*form, error) {
	if boundary == "" {
		return nil, fmt.Errorf("%w: multipart body without a boundary", ErrBadRequestBody)
	}
	f := &form{values: map[string]string{}, files: map[string]File{}}
	r := multipart.NewReader(bytes.NewReader(body), boundary)
	for n := 0; ; n++ {
		part, err := r.NextPart()
		if errors.Is(err, io.EOF) {
			return f, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrBadRequestBody, err)
		}
		if n >= lim.MaxParts {
			return nil, fmt.Errorf("%w: more than %d parts", ErrBadRequestBody, lim.MaxParts)
		}
		if err := f.add(part, lim); err != nil {
			return nil, err
		}
	}
}

func (f *form) add(part *multipart.Part, lim Limits) error {
	name := part.FormName()
	if name == "" {
		return fmt.Errorf("%w: a part without a form name", ErrBadRequestBody)
	}
	_, dupValue := f.values[name]
	_, dupFile := f.files[name]
	if dupValue || dupFile {
		return fieldErr(name, "is given more than once")
	}
	if isFileField(name) {
		data, err := io.ReadAll(part)
		if err != nil {
			return fmt.Errorf("%w: %w", ErrBadRequestBody, err)
		}
		f.files[name] = File{Name: part.FileName(), ContentType: part.Header.Get("Content-Type"), Data: data}
		return nil
	}
	data, err := io.ReadAll(io.LimitReader(part, lim.MaxFieldBytes+1))
	if err != nil {
		return fmt.Errorf("%w: %w", ErrBadRequestBody, err)
	}
	if int64(len(data)) > lim.MaxFieldBytes {
		return fieldErr(name, "is longer than %d bytes", lim.MaxFieldBytes)
	}
	f.values[name] = string(data)
	return nil
}

func (f *form) file(name string) (File, error) {
	file, ok := f.files[name]
	if !ok {
		return File{}, fieldErr(name, "is required")
	}
	if len(file.Data) == 0 {
		return File{}, fieldErr(name, "is empty")
	}
	return file, nil
}

// text sets *dst to the field's value if it is given.
func (f *form) text(name string, dst *string) {
	if v, ok := f.values[name]; ok {
		*dst = v
	}
}

// required sets *dst to the field's value, which must not be blank.
func (f *form) required(name string, dst *string) error {
	v, ok := f.values[name]
	if !ok || strings.TrimSpace(v) == "" {
		return fieldErr(name, "is required")
	}
	*dst = v
	return nil
}

func (f *form) integer(name string, dst *int) error {
	v, ok := f.values[name]
	if !ok {
		return nil
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil {
		return fieldErr(name, "must be an integer, got %q", v)
	}
	*dst = n
	return nil
}

func (f *form) seed(dst **int64) error {
	v, ok := f.values["seed"]
	if !ok || strings.TrimSpace(v) == "" {
		return nil
	}
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil {
		return fieldErr("seed", "must be an integer, got %q", v)
	}
	*dst = &n
	return nil
}

func (f *form) number(name string, dst *float64) error {
	v, ok := f.values[name]
	if !ok {
		return nil
	}
	x, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil {
		return fieldErr(name, "must be a number, got %q", v)
	}
	*dst = x
	return nil
}

func (f *form) boolean(name string, dst *bool) error {
	v, ok := f.values[name]
	if !ok {
		return nil
	}
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "true", "1", "yes", "on":
		*dst = true
	case "false", "0", "no", "off":
		*dst = false
	default:
		return fieldErr(name, "must be true or false, got %q", v)
	}
	return nil
}

// firstErr returns the first non-nil error.
func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
