// Package layout checks the import rules of DESIGN.md §2: pkg/ imports
// nothing outside pkg/; roles never import each other; only adapter packages
// import proto/; nothing imports cmd/.
package layout

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/castmesh/castmesh/"

// adapters may import the generated protocol code: one per side of each
// gRPC service.
var adapters = map[string]bool{
	"orchestrator/rpc":   true,
	"gateway/orchclient": true,
	"worker/hubclient":   true,
}

var roles = []string{"gateway", "orchestrator", "worker"}

type goPackage struct {
	ImportPath   string
	Imports      []string
	TestImports  []string
	XTestImports []string
}

func listPackages(t *testing.T) []goPackage {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), "go", "list", "-json", module+"...")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	var pkgs []goPackage
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p goPackage
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs
}

func top(rel string) string {
	first, _, _ := strings.Cut(rel, "/")
	return first
}

// violation returns why from may not import to ("" when it may). Both are
// paths relative to the module.
func violation(from, to string) string {
	switch {
	case top(to) == "cmd":
		return "nothing imports cmd/"
	case top(from) == "pkg" && top(to) != "pkg":
		return "pkg/ imports only pkg/"
	case top(to) == "proto" && !adapters[from] && top(from) != "proto":
		return "only adapter packages import proto/"
	}
	for _, r := range roles {
		if top(from) == r && top(to) != r && isRole(top(to)) {
			return "roles never import each other"
		}
	}
	if (top(from) == "ai" || top(from) == "payments") && isRole(top(to)) {
		return "ai/ and payments/ serve the roles and import none"
	}
	return ""
}

func isRole(dir string) bool {
	for _, r := range roles {
		if dir == r {
			return true
		}
	}
	return false
}

func TestImportRules(t *testing.T) {
	for _, p := range listPackages(t) {
		from := strings.TrimPrefix(p.ImportPath, module)
		if top(from) == "test" {
			continue
		}
		check := func(imports []string, tests bool) {
			for _, imp := range imports {
				to, ok := strings.CutPrefix(imp, module)
				if !ok || tests && top(to) == "test" {
					continue // tests may use the shared fixtures in test/
				}
				if why := violation(from, to); why != "" {
					t.Errorf("%s imports %s: %s", from, to, why)
				}
			}
		}
		check(p.Imports, false)
		check(append(append([]string(nil), p.TestImports...), p.XTestImports...), true)
	}
}

func TestViolation(t *testing.T) {
	tests := []struct {
		from, to string
		bad      bool
	}{
		{"pkg/media", "pkg/config", false},
		{"pkg/media", "gateway/hls", true},
		{"gateway/hls", "orchestrator/workers", true},
		{"gateway/hls", "gateway/ingest", false},
		{"gateway/hls", "proto/castmesh/v1", true},
		{"gateway/orchclient", "proto/castmesh/v1", false},
		{"orchestrator/rpc", "cmd/castmesh", true},
		{"cmd/castmesh", "gateway", false},
		{"payments/ticket", "gateway", true},
	}
	for _, tt := range tests {
		if got := violation(tt.from, tt.to) != ""; got != tt.bad {
			t.Errorf("%s → %s: violation %v, want %v", tt.from, tt.to, got, tt.bad)
		}
	}
}
