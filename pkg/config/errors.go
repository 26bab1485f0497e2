package config

import "fmt"

// FieldError reports a value that could not be applied to a field.
type FieldError struct {
	// Source is "file", "env" or "flag".
	Source string
	// Name is the key, variable or flag as the user wrote it.
	Name string
	Err  error
}

func (e *FieldError) Error() string {
	return fmt.Sprintf("config %s %s: %v", e.Source, e.Name, e.Err)
}

func (e *FieldError) Unwrap() error { return e.Err }
