package httppush

import (
	"fmt"
	"mime"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strconv"
	"strings"

	"github.com/castmesh/castmesh/pkg/httpjson"
	"github.com/castmesh/castmesh/pkg/media"
)

// Response headers naming the stream (the key is never echoed).
const (
	headerStreamID   = "Castmesh-Stream-Id"
	headerPlaybackID = "Castmesh-Playback-Id"
)

// summary is the JSON answer to a push that does not ask for multipart.
type summary struct {
	StreamID   string             `json:"stream_id"`
	PlaybackID string             `json:"playback_id"`
	Seq        int64              `json:"seq"`
	Renditions []renditionSummary `json:"renditions"`
}

type renditionSummary struct {
	Name   string `json:"name"`
	Width  int    `json:"width"`
	Height int    `json:"height"`
	Frames int64  `json:"frames"`
	Size   int    `json:"size"`
}

// respond writes the renditions, as multipart/mixed when the publisher
// accepts it, else as a JSON summary.
func (h *Handler) respond(w http.ResponseWriter, r *http.Request, res result) {
	w.Header().Set(headerStreamID, res.stream.ID())
	w.Header().Set(headerPlaybackID, res.stream.PlaybackID())
	if !acceptsMultipart(r.Header) {
		httpjson.Write(w, http.StatusOK, res.summary())
		return
	}
	if err := writeMultipart(w, res); err != nil {
		h.logger.Debug("publisher went away during the answer", "stream_id", res.stream.ID(), "seq", res.seq, "error", err)
	}
}

func (res result) summary() summary {
	s := summary{
		StreamID: res.stream.ID(), PlaybackID: res.stream.PlaybackID(), Seq: res.seq,
		Renditions: make([]renditionSummary, len(res.renditions)),
	}
	for i, r := range res.renditions {
		s.Renditions[i] = renditionSummary{
			Name: r.Profile.Name, Width: r.Width, Height: r.Height, Frames: r.Frames, Size: len(r.Init) + len(r.Data),
		}
	}
	return s
}

// acceptsMultipart reports whether the Accept header lists multipart/mixed.
func acceptsMultipart(h http.Header) bool {
	for _, v := range h.Values("Accept") {
		for part := range strings.SplitSeq(v, ",") {
			if mt, _, err := mime.ParseMediaType(strings.TrimSpace(part)); err == nil && mt == "multipart/mixed" {
				return true
			}
		}
	}
	return false
}

// writeMultipart writes one part per rendition, as Livepeer's gateway does.
func writeMultipart(w http.ResponseWriter, res result) error {
	mw := multipart.NewWriter(w)
	w.Header().Set("Content-Type", "multipart/mixed; boundary="+mw.Boundary())
	w.WriteHeader(http.StatusOK)
	for _, r := range res.renditions {
		ctype, ext := "video/mp2t", ".ts"
		if r.Container == media.FMP4 {
			ctype, ext = "video/mp4", ".mp4"
		}
		hdr := textproto.MIMEHeader{}
		hdr.Set("Content-Type", ctype)
		hdr.Set("Content-Length", strconv.Itoa(len(r.Init)+len(r.Data)))
		// Names are checked in handle, so the file name needs no escaping.
		hdr.Set("Content-Disposition", `attachment; filename="`+r.Profile.Name+"_"+strconv.FormatInt(res.seq, 10)+ext+`"`)
		hdr.Set("Rendition-Name", r.Profile.Name)
		pw, err := mw.CreatePart(hdr)
		if err == nil {
			_, err = pw.Write(r.Init)
		}
		if err == nil {
			_, err = pw.Write(r.Data)
		}
		if err != nil {
			return fmt.Errorf("write rendition %s: %w", r.Profile.Name, err)
		}
	}
	if err := mw.Close(); err != nil {
		return fmt.Errorf("close multipart body: %w", err)
	}
	return nil
}
