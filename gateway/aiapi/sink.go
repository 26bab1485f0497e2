package aiapi

import (
	"fmt"
	"net/http"
)

// buffer keeps a whole answer until it is checked and re-hosted.
type buffer struct {
	contentType string
	body        []byte
	max         int64
}

func (b *buffer) write(ct string, data []byte) error {
	if ct != "" {
		b.contentType = ct
	}
	if int64(len(b.body)+len(data)) > b.max {
		return fmt.Errorf("%w: larger than %d bytes", errBigAnswer, b.max)
	}
	b.body = append(b.body, data...)
	return nil
}

func (b *buffer) reset() bool {
	b.contentType, b.body = "", nil
	return true
}

// relay passes an answer to the caller as it comes: an llm stream's
// server-sent events, each flushed at once.
type relay struct {
	w       http.ResponseWriter
	written bool
}

func (r *relay) write(ct string, data []byte) error {
	if !r.written {
		if ct == "" {
			ct = "text/event-stream"
		}
		r.w.Header().Set("Content-Type", ct)
		r.w.Header().Set("Cache-Control", "no-cache")
		r.w.WriteHeader(http.StatusOK)
		r.written = true
	}
	if _, err := r.w.Write(data); err != nil {
		return err
	}
	if f, ok := r.w.(http.Flusher); ok {
		f.Flush()
	}
	return nil
}

func (r *relay) reset() bool { return !r.written }
