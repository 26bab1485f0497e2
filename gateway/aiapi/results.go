package aiapi

import (
	"bytes"
	"container/list"
	"crypto/rand"
	"encoding/hex"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// results keeps re-hosted files for a while, within a byte budget; the
// oldest go first.
type results struct {
	ttl      time.Duration
	maxBytes int64
	now      func() time.Time

	mu    sync.Mutex
	files map[string]*list.Element
	order *list.List // oldest first
	bytes int64
}

type file struct {
	id      string
	mime    string
	data    []byte
	expires time.Time
}

func newResults(cfg ResultsConfig) *results {
	return &results{ttl: cfg.TTL, maxBytes: cfg.MaxBytes, now: time.Now, files: map[string]*list.Element{}, order: list.New()}
}

// put stores data and returns its id, which ends with an extension for
// its media type.
func (r *results) put(mediaType string, data []byte) string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand does not fail
	id := hex.EncodeToString(b) + extension(mediaType)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.files[id] = r.order.PushBack(&file{id: id, mime: mediaType, data: data, expires: r.now().Add(r.ttl)})
	r.bytes += int64(len(data))
	for r.bytes > r.maxBytes && r.order.Len() > 1 {
		r.drop(r.order.Front())
	}
	return id
}

func extension(mediaType string) string {
	switch mediaType {
	case "image/png":
		return ".png"
	case "image/jpeg":
		return ".jpg"
	case "video/mp4":
		return ".mp4"
	case "audio/wav", "audio/x-wav":
		return ".wav"
	}
	if exts, _ := mime.ExtensionsByType(mediaType); len(exts) > 0 {
		return exts[0]
	}
	return ""
}

func (r *results) drop(e *list.Element) {
	f := r.order.Remove(e).(*file)
	delete(r.files, f.id)
	r.bytes -= int64(len(f.data))
}

// sweep drops expired files.
func (r *results) sweep() {
	r.mu.Lock()
	defer r.mu.Unlock()
	now := r.now()
	for e := r.order.Front(); e != nil; {
		next := e.Next()
		if f := e.Value.(*file); now.After(f.expires) {
			r.drop(e)
		}
		e = next
	}
}

func (r *results) get(id string) (*file, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	e, ok := r.files[id]
	if !ok {
		return nil, false
	}
	f := e.Value.(*file)
	if r.now().After(f.expires) {
		r.drop(e)
		return nil, false
	}
	return f, true
}

// ServeHTTP serves GET /ai/results/{id}.
func (r *results) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	id := strings.TrimPrefix(req.URL.Path, resultsPath)
	f, ok := r.get(id)
	if !ok {
		writeError(w, http.StatusNotFound, "not_found", "no such result; results are kept for "+r.ttl.String())
		return
	}
	w.Header().Set("Content-Type", f.mime)
	w.Header().Set("Cache-Control", "private, max-age="+strconv.FormatInt(int64(f.expires.Sub(r.now()).Seconds()), 10))
	http.ServeContent(w, req, "", time.Time{}, bytes.NewReader(f.data))
}
