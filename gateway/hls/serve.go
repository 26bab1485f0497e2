package hls

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/castmesh/castmesh/pkg/httpjson"
	"github.com/castmesh/castmesh/pkg/media"
)

// Content types (RFC 8216 §4: playlists; §3.2 and §3.3: segments).
const (
	typePlaylist = "application/vnd.apple.mpegurl"
	typeTS       = "video/mp2t"
	typeMP4      = "video/mp4"
)

// liveCacheControl lets caches and players hold a changing playlist for no
// longer than a fraction of a segment.
const liveCacheControl = "public, max-age=1"

// reply is what a request resolves to: bytes in memory, a file, or an error.
type reply struct {
	body        []byte
	path        string
	contentType string
	immutable   bool // segments, init sections and ended playlists

	status  int // set for errors
	code    string
	message string
}

func notFound(code, message string) reply {
	return reply{status: http.StatusNotFound, code: code, message: message}
}

// ServeHTTP serves the files of every stream; it is mounted at /hls/.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
	kind := s.serve(sw, r)
	s.metrics.Requests.WithLabelValues(kind, strconv.Itoa(sw.status)).Inc()
}

// serve answers r and returns the kind of file asked for, a metric label.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) string {
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", "*")
	switch r.Method {
	case http.MethodGet, http.MethodHead:
	case http.MethodOptions:
		h.Set("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS")
		h.Set("Access-Control-Allow-Headers", "Range")
		h.Set("Access-Control-Max-Age", "86400")
		w.WriteHeader(http.StatusNoContent)
		return "preflight"
	default:
		h.Set("Allow", "GET, HEAD, OPTIONS")
		s.fail(w, reply{status: http.StatusMethodNotAllowed, code: "method_not_allowed", message: r.Method + " is not allowed"})
		return "invalid"
	}
	rest, ok := strings.CutPrefix(r.URL.Path, "/hls/")
	t, err := parsePath(rest)
	if !ok || err != nil {
		s.fail(w, notFound("not_found", "no such HLS file"))
		return "invalid"
	}
	st := s.stream(t.playbackID)
	if st == nil {
		s.fail(w, notFound("stream_not_found", "no stream with playback id "+t.playbackID))
		return t.kind.String()
	}
	s.write(w, r, st.resolve(t))
	return t.kind.String()
}

// write sends a reply. ServeContent handles HEAD and byte ranges.
func (s *Server) write(w http.ResponseWriter, r *http.Request, rep reply) {
	if rep.status != 0 {
		s.fail(w, rep)
		return
	}
	var content io.ReadSeeker = bytes.NewReader(rep.body)
	if rep.path != "" {
		f, err := os.Open(rep.path)
		if err != nil { // it left the playlist since it was looked up
			s.fail(w, notFound("segment_not_found", "segment no longer available"))
			return
		}
		defer func() { _ = f.Close() }() // read-only; a close error changes nothing
		content = f
	}
	h := w.Header()
	h.Set("Content-Type", rep.contentType)
	h.Set("Cache-Control", liveCacheControl)
	if rep.immutable {
		h.Set("Cache-Control", "public, max-age="+strconv.Itoa(int(s.cfg.RetainEnded/time.Second)))
	}
	http.ServeContent(w, r, "", time.Time{}, content)
}

// fail sends a JSON error that no cache keeps: players retry 404s until the
// stream has segments.
func (s *Server) fail(w http.ResponseWriter, rep reply) {
	w.Header().Set("Cache-Control", "no-cache")
	httpjson.Error(w, rep.status, rep.code, rep.message)
}

// resolve finds what t names in the stream.
func (st *Stream) resolve(t target) reply {
	st.mu.Lock()
	defer st.mu.Unlock()
	switch t.kind {
	case kindMaster:
		return st.playlistReply(st.masterPlaylist("index.m3u8", &st.master))
	case kindRecordingMaster:
		if rep, ok := st.noRecording(); !ok {
			return rep
		}
		return st.playlistReply(st.masterPlaylist("recording.m3u8", &st.recMaster))
	}
	r := st.byName[t.rendition]
	if r == nil {
		return notFound("rendition_not_found", "no rendition "+t.rendition)
	}
	switch t.kind {
	case kindMedia:
		return st.playlistReply(st.livePlaylist(r))
	case kindRecording:
		if rep, ok := st.noRecording(); !ok {
			return rep
		}
		return st.playlistReply(st.recordingPlaylist(r))
	case kindInit:
		if r.container != media.FMP4 || t.seq >= int64(len(r.inits)) {
			return notFound("segment_not_found", "no such init section")
		}
		return reply{body: r.inits[t.seq], contentType: typeMP4, immutable: true}
	}
	e, ok := r.find(t.seq)
	if !ok || e.gap || t.ext != r.ext() {
		return notFound("segment_not_found", "no segment "+t.String())
	}
	ct := typeTS
	if r.container == media.FMP4 {
		ct = typeMP4
	}
	return reply{body: e.data, path: e.path, contentType: ct, immutable: true}
}

// noRecording is the answer for a recording playlist the stream lacks.
func (st *Stream) noRecording() (reply, bool) {
	switch {
	case !st.srv.cfg.Record:
		return notFound("no_recording", "this stream is not recorded"), false
	case st.unrecorded:
		return notFound("recording_stopped", "the recording stopped at the gateway's memory cap (hls.max_recording_bytes)"), false
	}
	return reply{}, true
}

func (st *Stream) playlistReply(text []byte, err error) reply {
	switch {
	case err != nil:
		st.logger.Error("cannot render playlist", "error", err)
		return reply{status: http.StatusInternalServerError, code: "playlist_error", message: "cannot render the playlist"}
	case text == nil:
		return notFound("playlist_not_ready", "no segment yet; retry")
	}
	return reply{body: text, contentType: typePlaylist, immutable: st.ended}
}

// statusWriter remembers the status code for the request metric.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
