package aiapi

import (
	"bytes"
	"container/list"
	"crypto/rand"
	"encoding/hex"
	"mime"
	"net/http"
	"slices"
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
// its media type. The type is what the bytes are (sniffed), not what the
// orchestrator claimed: see servedType.
func (r *results) put(claimed string, data []byte) string {
	mediaType := servedType(claimed, data)
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

// servableTypes are the media types results are served as: what the
// pipelines make, none of which a browser runs as a page or a script.
func servableTypes() []string {
	return []string{
		"image/png", "image/jpeg", "image/webp", "image/gif",
		"video/mp4", "video/webm", "audio/wave", "audio/wav", "audio/mpeg", "audio/ogg", "audio/flac",
		"application/ogg",
	}
}

// servedType is the type a result is served as: the sniffed type of its
// bytes (the WHATWG MIME sniffing algorithm, net/http.DetectContentType)
// when that is servable, else application/octet-stream, served for
// download. The orchestrator's claim only decides between types the
// sniffer cannot tell apart (ogg audio or video): an orchestrator that
// claims image/png for an HTML page gets it served as a download.
func servedType(claimed string, data []byte) string {
	sniffed, _, _ := mime.ParseMediaType(http.DetectContentType(data))
	switch sniffed {
	case "audio/wave":
		return "audio/wav"
	case "application/ogg":
		if c, _, _ := mime.ParseMediaType(claimed); c == "audio/ogg" {
			return c
		}
	}
	if slices.Contains(servableTypes(), sniffed) {
		return sniffed
	}
	return "application/octet-stream"
}

func extension(mediaType string) string {
	switch mediaType {
	case "image/png":
		return ".png"
	case "image/jpeg":
		return ".jpg"
	case "image/webp":
		return ".webp"
	case "image/gif":
		return ".gif"
	case "video/mp4":
		return ".mp4"
	case "video/webm":
		return ".webm"
	case "audio/wav":
		return ".wav"
	case "audio/mpeg":
		return ".mp3"
	case "audio/ogg", "application/ogg":
		return ".ogg"
	case "audio/flac":
		return ".flac"
	}
	return ".bin"
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
	h := w.Header()
	h.Set("Content-Type", f.mime)
	// The type is not to be second-guessed, and whatever the bytes are,
	// they run nothing: no script, no plugin, no frame, no form.
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Cross-Origin-Resource-Policy", "cross-origin")
	if f.mime == "application/octet-stream" {
		h.Set("Content-Disposition", `attachment; filename="`+f.id+`"`)
	}
	w.Header().Set("Cache-Control", "private, max-age="+strconv.FormatInt(int64(f.expires.Sub(r.now()).Seconds()), 10))
	http.ServeContent(w, req, "", time.Time{}, bytes.NewReader(f.data))
}
