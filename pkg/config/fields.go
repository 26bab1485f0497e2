package config

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// field is one settable leaf of a config struct.
type field struct {
	path []string // yaml keys from the root
	help string
	v    reflect.Value
}

func (f field) envName(prefix string) string {
	return prefix + strings.ToUpper(strings.Join(f.path, "_"))
}

func (f field) flagName() string {
	return strings.ReplaceAll(strings.Join(f.path, "."), "_", "-")
}

// durationType is time.Duration's type: a leaf, set from "2s".
func durationType() reflect.Type { return reflect.TypeFor[time.Duration]() }

// leaves walks a struct value and returns its settable leaves. Nested structs
// (not durations) are walked; everything else is a leaf.
func leaves(v reflect.Value, prefix []string) []field {
	var out []field
	t := v.Type()
	for i := range t.NumField() {
		sf := t.Field(i)
		name, opts, _ := strings.Cut(sf.Tag.Get("yaml"), ",")
		fv := v.Field(i)
		if sf.IsExported() && opts == "inline" && fv.Kind() == reflect.Struct {
			out = append(out, leaves(fv, prefix)...)
			continue
		}
		if !sf.IsExported() || name == "-" || name == "" {
			continue
		}
		path := append(append([]string(nil), prefix...), name)
		if fv.Kind() == reflect.Struct && fv.Type() != durationType() {
			out = append(out, leaves(fv, path)...)
			continue
		}
		out = append(out, field{path: path, help: sf.Tag.Get("help"), v: fv})
	}
	return out
}

// set parses s into the field's value.
func (f field) set(s string) error {
	v := f.v
	switch {
	case v.Type() == durationType():
		d, err := time.ParseDuration(s)
		if err != nil {
			return err
		}
		v.SetInt(int64(d))
		return nil
	case v.Kind() == reflect.String:
		v.SetString(s)
		return nil
	case v.Kind() == reflect.Bool:
		b, err := strconv.ParseBool(s)
		if err != nil {
			return err
		}
		v.SetBool(b)
		return nil
	case v.CanInt():
		n, err := strconv.ParseInt(s, 0, v.Type().Bits())
		if err != nil {
			return err
		}
		v.SetInt(n)
		return nil
	case v.CanUint():
		n, err := strconv.ParseUint(s, 0, v.Type().Bits())
		if err != nil {
			return err
		}
		v.SetUint(n)
		return nil
	case v.CanFloat():
		n, err := strconv.ParseFloat(s, v.Type().Bits())
		if err != nil {
			return err
		}
		v.SetFloat(n)
		return nil
	case v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.String && !strings.HasPrefix(strings.TrimSpace(s), "["):
		return f.setStrings(s)
	}
	return f.setYAML(s)
}

func (f field) setStrings(s string) error {
	var parts []string
	for p := range strings.SplitSeq(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			parts = append(parts, p)
		}
	}
	sv := reflect.MakeSlice(f.v.Type(), len(parts), len(parts))
	for i, p := range parts {
		sv.Index(i).SetString(p)
	}
	f.v.Set(sv)
	return nil
}

func (f field) setYAML(s string) error {
	nv := reflect.New(f.v.Type())
	dec := yaml.NewDecoder(strings.NewReader(s))
	dec.KnownFields(true)
	if err := dec.Decode(nv.Interface()); err != nil {
		return fmt.Errorf("want YAML or JSON for %s: %w", f.v.Type(), err)
	}
	f.v.Set(nv.Elem())
	return nil
}

// String renders the field's current value the way set reads it.
func (f field) String() string {
	v := f.v
	switch {
	case v.Type() == durationType():
		return time.Duration(v.Int()).String()
	case v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.String:
		parts := make([]string, v.Len())
		for i := range parts {
			parts[i] = v.Index(i).String()
		}
		return strings.Join(parts, ",")
	case v.Kind() == reflect.Slice || v.Kind() == reflect.Map || v.Kind() == reflect.Struct:
		b, err := yaml.Marshal(v.Interface())
		if err != nil {
			return ""
		}
		return strings.TrimSpace(string(b))
	}
	return fmt.Sprint(v.Interface())
}
