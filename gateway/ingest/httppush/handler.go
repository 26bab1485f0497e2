package httppush

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/castmesh/castmesh/gateway/ingest"
	"github.com/castmesh/castmesh/pkg/httpjson"
	"github.com/castmesh/castmesh/pkg/media"
)

// Handler serves HTTP push; it is mounted at /live/.
type Handler struct {
	cfg     Config
	opener  ingest.Opener
	logger  *slog.Logger
	metrics *Metrics
}

// New validates cfg and makes a handler that opens streams with opener.
func New(cfg Config, opener ingest.Opener, logger *slog.Logger, m *Metrics) (*Handler, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if opener == nil {
		return nil, errors.New("http_push: no stream opener")
	}
	return &Handler{cfg: cfg, opener: opener, logger: logger.With("component", "httppush"), metrics: m}, nil
}

// ServeHTTP handles one push: parse, read and probe the segment, open the
// stream, transcode, and answer with the renditions.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	code := h.serve(w, r)
	h.metrics.Requests.WithLabelValues(code).Inc()
	h.metrics.Duration.Observe(time.Since(start).Seconds())
}

// serve answers r and returns the metric label of the outcome.
func (h *Handler) serve(w http.ResponseWriter, r *http.Request) string {
	res, err := h.handle(r)
	switch {
	case r.Context().Err() != nil:
		h.logger.Debug("publisher went away before the answer", "remote", r.RemoteAddr)
		return "canceled"
	case err == nil:
		h.respond(w, r, res)
		return strconv.Itoa(http.StatusOK)
	}
	var re *requestError
	if !errors.As(err, &re) {
		re = refuse(http.StatusInternalServerError, "internal", "internal error")
	}
	if re.status == http.StatusMethodNotAllowed {
		w.Header().Set("Allow", "PUT, POST")
	}
	if re.status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", "2") // about one segment
	}
	httpjson.Error(w, re.status, re.code, re.message)
	return strconv.Itoa(re.status)
}

// result is a transcoded push.
type result struct {
	stream     ingest.Stream
	seq        int64
	renditions []media.Rendition
}

func (h *Handler) handle(r *http.Request) (result, error) {
	key, seg, err := h.segment(r)
	if err != nil {
		return result{}, err
	}
	st, err := h.opener.Open(r.Context(), ingest.OpenRequest{Key: key, RemoteAddr: r.RemoteAddr, Protocol: ingest.HTTPPush})
	if err != nil {
		return result{}, h.openFailed(r.Context(), err)
	}
	renditions, err := st.Transcode(r.Context(), seg)
	if err == nil {
		err = checkRenditions(renditions)
	}
	if err != nil {
		return result{}, h.transcodeFailed(r.Context(), st, seg.Seq, err)
	}
	return result{stream: st, seq: seg.Seq, renditions: renditions}, nil
}

// segment parses the request and reads and probes its body: everything
// checked before a stream is opened. It returns the stream key too.
func (h *Handler) segment(r *http.Request) (string, media.Segment, error) {
	path, ok := strings.CutPrefix(r.URL.Path, "/live/")
	if !ok {
		return "", media.Segment{}, refuse(http.StatusNotFound, "not_found", "push to /live/{stream}/{seq}.ts")
	}
	p, err := parsePush(h.cfg, r.Method, path, r.Header)
	if err != nil {
		return "", media.Segment{}, err
	}
	data, err := h.readBody(r)
	if err != nil {
		return "", media.Segment{}, err
	}
	info, err := media.ProbeTS(data)
	if err != nil {
		return "", media.Segment{}, probeError(err)
	}
	if p.width > 0 && (p.width != info.Video.Width || p.height != info.Video.Height) {
		h.logger.Debug("Content-Resolution differs from the probed size; the probe wins",
			"header", fmt.Sprintf("%dx%d", p.width, p.height), "probed", fmt.Sprintf("%dx%d", info.Video.Width, info.Video.Height))
	}
	return p.key, media.Segment{Seq: p.seq, Data: data, Duration: p.duration, StartPTS: info.Video.FirstPTS}, nil
}

// readBody reads at most MaxBody bytes.
func (h *Handler) readBody(r *http.Request) ([]byte, error) {
	if r.ContentLength > h.cfg.MaxBody {
		return nil, refuse(http.StatusRequestEntityTooLarge, "body_too_large", "segment over %d bytes", h.cfg.MaxBody)
	}
	var buf bytes.Buffer
	if r.ContentLength > 0 {
		buf.Grow(int(r.ContentLength))
	}
	n, err := buf.ReadFrom(io.LimitReader(r.Body, h.cfg.MaxBody+1))
	h.metrics.ReceivedBytes.Add(float64(n))
	switch {
	case err != nil:
		return nil, refuse(http.StatusBadRequest, "truncated", "reading the segment: %v", err)
	case n > h.cfg.MaxBody:
		return nil, refuse(http.StatusRequestEntityTooLarge, "body_too_large", "segment over %d bytes", h.cfg.MaxBody)
	}
	return buf.Bytes(), nil
}

func (h *Handler) openFailed(ctx context.Context, err error) error {
	re := openError(err)
	if re.status == http.StatusInternalServerError && ctx.Err() == nil {
		h.logger.Error("cannot open pushed stream", "error", err)
	}
	return re
}

func (h *Handler) transcodeFailed(ctx context.Context, st ingest.Stream, seq int64, err error) error {
	re := transcodeError(err)
	if ctx.Err() == nil {
		h.logger.Warn("pushed segment not transcoded", "stream_id", st.ID(), "seq", seq, "code", re.code, "error", err)
	}
	return re
}

// checkRenditions refuses a transcode result that cannot be sent back:
// names go into response headers verbatim.
func checkRenditions(rs []media.Rendition) error {
	if len(rs) == 0 {
		return errors.New("transcoder returned no renditions")
	}
	for _, r := range rs {
		if !renditionName.MatchString(r.Profile.Name) {
			return fmt.Errorf("transcoder returned rendition name %q", r.Profile.Name)
		}
	}
	return nil
}
