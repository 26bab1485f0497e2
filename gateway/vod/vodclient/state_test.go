package vodclient

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/castmesh/castmesh/test/fixture"
)

// Issue #12 finding 14: the resume state was written in place with
// os.WriteFile: a crash mid-write left a torn file. It is replaced whole
// now, and reads back.
func TestStateFileAtomicUploadState(t *testing.T) {
	c := &Client{StateDir: t.TempDir()}
	const src = "/videos/film.mp4"
	if err := c.saveState(src, state{UploadID: "upl_old", Size: 1}); err != nil {
		t.Fatal(err)
	}
	want := state{UploadID: "upl_new", Size: 2, ModTime: 3}
	fixture.ReplacesWhole(t, c.statePath(src), func() error { return c.saveState(src, want) })
	b, err := os.ReadFile(c.statePath(src))
	if err != nil {
		t.Fatal(err)
	}
	var got state
	if err := json.Unmarshal(b, &got); err != nil || got != want {
		t.Fatalf("state %s: %v", b, err)
	}
}
