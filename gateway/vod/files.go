package vod

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
)

// files lays out what under media_dir:
//
//	uploads/{id}/parts/{n}   a received part
//	uploads/{id}/source      the assembled file, once complete
//	jobs/{id}/work/          a job's cut source and encoded segments
//	jobs/{id}/out/           its result: output.mp4, or an HLS ladder
//
// Files are written to a temporary name beside their place and renamed
// into it, so a crash leaves no half-written file under a real name.
type files struct{ dir string }

func (m files) upload(id string) string      { return filepath.Join(m.dir, "uploads", id) }
func (m files) parts(id string) string       { return filepath.Join(m.upload(id), "parts") }
func (m files) part(id string, n int) string { return filepath.Join(m.parts(id), strconv.Itoa(n)) }
func (m files) source(id string) string      { return filepath.Join(m.upload(id), "source") }

// A job works under jobs/{id}/work and keeps its result in jobs/{id}/out.
func (m files) job(id string) string     { return filepath.Join(m.dir, "jobs", id) }
func (m files) work(id string) string    { return filepath.Join(m.job(id), "work") }
func (m files) fetched(id string) string { return filepath.Join(m.work(id), "source") }
func (m files) split(id string) string   { return filepath.Join(m.work(id), "split") }
func (m files) output(id string) string  { return filepath.Join(m.job(id), "out") }
func (m files) pass(id string, n int) string {
	return filepath.Join(m.work(id), "pass"+strconv.Itoa(n))
}

// writeFile copies r to path through a temporary file; it returns the
// bytes written. A copy that fails or passes limit bytes leaves nothing.
func writeFile(path string, r io.Reader, limit int64) (int64, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return 0, err
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-")
	if err != nil {
		return 0, err
	}
	n, err := io.Copy(f, io.LimitReader(r, limit+1))
	if err == nil && n > limit {
		err = errTooLong
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
		return 0, err
	}
	return n, nil
}

var errTooLong = fmt.Errorf("more bytes than allowed")

// writeFileBytes writes data to path through a temporary file.
func writeFileBytes(path string, data []byte) (int64, error) {
	return writeFile(path, bytes.NewReader(data), int64(len(data)))
}

// concat writes the files in order to path through a temporary file and
// returns the total size and SHA-256.
func concat(path string, files []string) (int64, string, error) {
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-")
	if err != nil {
		return 0, "", err
	}
	h := sha256.New()
	var n int64
	for _, name := range files {
		if n, err = appendFile(io.MultiWriter(f, h), name, n); err != nil {
			break
		}
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
		return 0, "", err
	}
	return n, hex.EncodeToString(h.Sum(nil)), nil
}

func appendFile(w io.Writer, name string, n int64) (int64, error) {
	in, err := os.Open(name)
	if err != nil {
		return n, err
	}
	defer in.Close()
	m, err := io.Copy(w, in)
	return n + m, err
}
