package hls

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/castmesh/castmesh/pkg/media"
)

// store writes the parts of segment seq to disk and drops their bytes from
// memory. It returns false when the segment is not wanted or a write
// failed; a failed segment is given up (Skip), because its renditions cannot
// be served. Files are written outside the stream's lock: concurrent Adds do
// their I/O in parallel, and readers never wait on a disk.
func (st *Stream) store(seq int64, parts []part) ([]part, bool) {
	if !st.accepts(seq) {
		st.srv.metrics.Segments.WithLabelValues("dropped").Inc()
		return nil, false
	}
	out := make([]part, 0, len(parts))
	for _, p := range parts {
		ext := extTS
		if p.r.Container == media.FMP4 {
			ext = extFMP4
		}
		path := filepath.Join(st.dir, p.r.Profile.Name, segmentName(seq, ext))
		if err := writeFile(path, p.r.Data); err != nil {
			st.logger.Error("segment lost: cannot store it", "seq", seq, "error", err)
			st.srv.removeFiles(paths(out))
			st.Skip(seq)
			return nil, false
		}
		p.path, p.r.Data = path, nil
		out = append(out, p)
	}
	return out, true
}

// writeFile writes data to path through a temporary file and a rename, so a
// reader never sees half a segment.
func writeFile(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("make segment directory: %w", err)
	}
	f, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return fmt.Errorf("create segment file: %w", err)
	}
	_, werr := f.Write(data)
	cerr := f.Close()
	if werr != nil || cerr != nil {
		_ = os.Remove(f.Name()) // best effort; the write error is what matters
		return fmt.Errorf("write segment file: %w", errors.Join(werr, cerr))
	}
	if err := os.Rename(f.Name(), path); err != nil {
		_ = os.Remove(f.Name())
		return fmt.Errorf("rename segment file: %w", err)
	}
	return nil
}

// removeFiles deletes segment files that left every playlist.
func (s *Server) removeFiles(paths []string) {
	for _, p := range paths {
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			s.logger.Warn("cannot remove segment file", "path", p, "error", err)
		}
	}
}
