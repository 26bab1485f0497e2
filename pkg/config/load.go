package config

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"reflect"
	"strings"

	"gopkg.in/yaml.v3"
)

// EnvPrefix starts every environment variable castmesh reads.
const EnvPrefix = "CASTMESH_"

// Request says where Load finds the layers above the defaults.
type Request struct {
	// Name is used in usage text ("castmesh gateway").
	Name string
	// Args are the command-line arguments after the subcommand.
	Args []string
	// Environ is the process environment as "KEY=value" strings.
	Environ []string
	// Usage, when set, receives the flag usage text on -h.
	Usage io.Writer
}

// Load fills dst, a pointer to a struct holding the defaults, from the file
// named by --config, then the environment, then the other flags. It returns
// the positional arguments left after the flags.
func Load(dst any, req Request) ([]string, error) {
	rv := reflect.ValueOf(dst)
	if rv.Kind() != reflect.Pointer || rv.Elem().Kind() != reflect.Struct {
		return nil, errors.New("config: Load needs a pointer to a struct")
	}
	fields := leaves(rv.Elem(), nil)

	fs := flag.NewFlagSet(req.Name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	if req.Usage != nil {
		fs.SetOutput(req.Usage)
	}
	file := fs.String("config", "", "YAML config file (defaults < file < CASTMESH_* env < flags)")
	set := map[string]*string{}
	for _, f := range fields {
		s := new(string)
		set[f.flagName()] = s
		fs.Func(f.flagName(), usage(f), func(v string) error { *s = v; return nil })
	}
	if err := fs.Parse(req.Args); err != nil {
		return nil, err
	}
	if *file != "" {
		if err := LoadFile(dst, *file); err != nil {
			return nil, err
		}
	}
	if err := applyEnv(fields, req.Environ); err != nil {
		return nil, err
	}
	var flagErr error
	fs.Visit(func(fl *flag.Flag) {
		for _, f := range fields {
			if f.flagName() == fl.Name && flagErr == nil {
				if err := f.set(*set[fl.Name]); err != nil {
					flagErr = &FieldError{Source: "flag", Name: "--" + fl.Name, Err: err}
				}
			}
		}
	})
	return fs.Args(), flagErr
}

func usage(f field) string {
	u := f.help
	if def := f.String(); def != "" {
		u += fmt.Sprintf(" (default %s)", def)
	}
	return strings.TrimSpace(u + " [env " + f.envName(EnvPrefix) + "]")
}

// LoadFile decodes a YAML file over dst. Unknown keys are an error, so a
// misspelt key never silently leaves a default in place.
func LoadFile(dst any, path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("config: %w", err)
	}
	return Decode(dst, b)
}

// Decode decodes YAML bytes over dst, strictly.
func Decode(dst any, b []byte) error {
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(dst); err != nil && !errors.Is(err, io.EOF) {
		return &FieldError{Source: "file", Name: "", Err: err}
	}
	return nil
}

func applyEnv(fields []field, environ []string) error {
	env := make(map[string]string, len(environ))
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok {
			env[k] = v
		}
	}
	for _, f := range fields {
		name := f.envName(EnvPrefix)
		if v, ok := env[name]; ok {
			if err := f.set(v); err != nil {
				return &FieldError{Source: "env", Name: name, Err: err}
			}
		}
	}
	return nil
}
