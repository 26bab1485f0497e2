package hls

import (
	"errors"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/castmesh/castmesh/test/fixture"
)

func TestDiskStorage(t *testing.T) {
	segs := realSegments(t)
	cfg := testConfig()
	cfg.Storage, cfg.Dir = StorageDisk, t.TempDir()
	s, base := newTestServer(t, cfg)
	clock := fixture.NewClock(time.Unix(0, 0))
	s.now = clock.Now
	st := open(t, s, "disk")
	retained := 2*cfg.Window + 1
	total := retained + 2
	for seq := range total {
		sg := segs[seq%len(segs)]
		st.Add(int64(seq), sg.info.Duration, ladder(sg))
	}
	first := filepath.Join(cfg.Dir, "disk", "720p", "0.ts")
	if _, err := os.Stat(first); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("segment 0 left retention but its file is still there: %v", err)
	}
	last := total - 1
	name := strconv.Itoa(last) + ".ts"
	path := filepath.Join(cfg.Dir, "disk", "360p", name)
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("segment %d not on disk: %v", last, err)
	}
	if got := mustGet(t, base+"/hls/disk/360p/"+name); got != string(want) || got != string(segs[last%len(segs)].data) {
		t.Fatal("served bytes differ from the file")
	}
	if r := get(t, base+"/hls/disk/360p/1.ts"); r.status != http.StatusNotFound {
		t.Fatalf("retired segment: %d", r.status)
	}
	if r := get(t, base+"/hls/disk/360p/2.ts"); r.status != http.StatusOK {
		t.Fatalf("segment just out of the window but still retained: %d", r.status)
	}

	st.End()
	clock.Advance(cfg.RetainEnded)
	s.sweep()
	if _, err := os.Stat(filepath.Join(cfg.Dir, "disk")); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("expired stream's directory is still there: %v", err)
	}
}

// TestDiskDuplicateKeepsFiles: two Adds of one segment racing past the
// pre-check write the same files; dropping the second must not delete them.
func TestDiskDuplicateKeepsFiles(t *testing.T) {
	cfg := testConfig()
	cfg.Storage, cfg.Dir = StorageDisk, t.TempDir()
	s, base := newTestServer(t, cfg)
	st := open(t, s, "dup")
	st.Add(0, time.Second, fakeTS("a"))
	path := filepath.Join(cfg.Dir, "dup", "a", "0.ts")
	dup := pending{dur: time.Second, parts: []part{{r: fakeTS("a")[0], size: 1880, path: path}}}
	st.mu.Lock()
	garbage := st.offer(0, dup)
	st.mu.Unlock()
	if len(garbage) != 0 {
		t.Fatalf("dropping the duplicate would delete %v", garbage)
	}
	late := pending{dur: time.Second, parts: []part{{r: fakeTS("a")[0], size: 1880, path: "/nonexistent/5.ts"}}}
	st.Skip(1)
	st.mu.Lock()
	garbage = st.offer(1, late)
	st.mu.Unlock()
	if len(garbage) != 1 {
		t.Fatalf("a late segment's files must go: %v", garbage)
	}
	mustGet(t, base+"/hls/dup/a/0.ts")
}
