package logging

import (
	"bytes"
	"strings"
	"testing"
)

func TestNew(t *testing.T) {
	var buf bytes.Buffer
	l, err := New(Config{Level: "warn", Format: "json"}, &buf)
	if err != nil {
		t.Fatal(err)
	}
	l.Info("hidden")
	l.Warn("shown", "k", 1)
	if s := buf.String(); strings.Contains(s, "hidden") || !strings.Contains(s, `"msg":"shown"`) {
		t.Fatalf("output %q", s)
	}
	for _, bad := range []Config{{Level: "loud", Format: "text"}, {Level: "info", Format: "xml"}} {
		if _, err := New(bad, &buf); err == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
}
