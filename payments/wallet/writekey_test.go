package wallet

import (
	"path/filepath"
	"testing"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/castmesh/castmesh/test/fixture"
)

// Issue #12 finding 14: WriteKey wrote the key file in place, without
// fsync or rename: a crash mid-write left a torn key. It must replace the
// file whole, and the new key must load.
func TestStateFileAtomicKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "key")
	first, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	second, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteKey(path, first); err != nil {
		t.Fatal(err)
	}
	fixture.ReplacesWhole(t, path, func() error { return WriteKey(path, second) })
	got, err := Config{KeyFile: path}.LoadKey()
	if err != nil {
		t.Fatal(err)
	}
	if crypto.PubkeyToAddress(got.PublicKey) != crypto.PubkeyToAddress(second.PublicKey) {
		t.Fatal("the key read back is not the one written")
	}
}
