package orchestrator

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/castmesh/castmesh/test/fixture"
)

// Issue #12 finding 14: the node secret was written in place, without
// fsync or rename; a torn file reads as no secret, and a new one voids
// every ticket and session handed out. A secret file that is not whole is
// replaced whole, and the secret is kept across calls.
func TestStateFileAtomicSecret(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "secret")
	if err := os.WriteFile(path, []byte("torn"), 0o600); err != nil {
		t.Fatal(err)
	}
	var first []byte
	fixture.ReplacesWhole(t, path, func() error {
		var err error
		first, err = secret(dir)
		return err
	})
	again, err := secret(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(first) != 32 || !bytes.Equal(first, again) {
		t.Fatalf("secret %x, then %x: want the same 32 bytes", first, again)
	}
}
