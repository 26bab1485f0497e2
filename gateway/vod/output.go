package vod

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// getOutput sends a completed job's file (ranges supported), or for an HLS
// job redirects to its playback URL. A job whose answer is the original
// sends the source.
func (a *API) getOutput(w http.ResponseWriter, r *http.Request, c caller) error {
	j, err := a.loadJob(r.Context(), c.owner, r.PathValue("id"))
	if err != nil {
		return err
	}
	if j.Status != jobCompleted || j.Result == nil {
		return errorf(http.StatusConflict, codeOutputNotReady, "job %s is %s; its output comes when it completes", j.ID, j.Status)
	}
	if j.Result.FinalArtifact == "output" && j.Req.Output.Container == "hls" {
		http.Redirect(w, r, a.playURL(j.ID, "master.m3u8"), http.StatusSeeOther)
		return nil
	}
	file, name := a.outputFile(j)
	f, err := os.Open(file)
	if err != nil {
		return fmt.Errorf("job %s output: %w", j.ID, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"`, name))
	if ext := filepath.Ext(name); ext == ".mkv" {
		w.Header().Set("Content-Type", "video/x-matroska")
	} else {
		w.Header().Set("Content-Type", "video/mp4")
	}
	http.ServeContent(w, r, name, st.ModTime(), f)
	return nil
}

// outputFile is the file a completed job answers with, and its name.
func (a *API) outputFile(j job) (string, string) {
	if j.Result.FinalArtifact == "original" {
		if j.Req.Source.Type == "upload" {
			return a.files.source(j.Req.Source.UploadID), j.ID + "-original" + extOf(j.Source)
		}
		return filepath.Join(a.files.output(j.ID), "original"), j.ID + "-original" + extOf(j.Source)
	}
	name := "output." + j.Req.Output.Container
	return filepath.Join(a.files.output(j.ID), name), j.ID + "." + j.Req.Output.Container
}

func extOf(s *SourceInfo) string {
	if s != nil && strings.Contains(s.Container, "matroska") {
		return ".mkv"
	}
	return ".mp4"
}

// playURL is where an HLS output plays without a key: the path carries a
// token only this store's gateways can make, good for PlayTTL.
func (a *API) playURL(jobID, file string) string {
	exp := strconv.FormatInt(a.now().Add(a.cfg.PlayTTL).Unix(), 10)
	return "/v1/play/" + jobID + "." + exp + "." + a.playToken(jobID, exp) + "/" + file
}

// playToken signs a job id and the Unix second the token expires.
func (a *API) playToken(jobID, exp string) string {
	m := hmac.New(sha256.New, a.playSecret)
	m.Write([]byte(jobID + "." + exp))
	return hex.EncodeToString(m.Sum(nil))[:32]
}

// playable checks a play path's {job id}.{expiry}.{token}, and returns the
// job id.
func (a *API) playable(s string) (string, bool) {
	id, rest, ok := strings.Cut(s, ".")
	if !ok {
		return "", false
	}
	exp, token, ok := strings.Cut(rest, ".")
	if !ok || !hmac.Equal([]byte(token), []byte(a.playToken(id, exp))) {
		return "", false
	}
	sec, err := strconv.ParseInt(exp, 10, 64)
	if err != nil || a.now().Unix() >= sec {
		return "", false
	}
	return id, true
}

// servePlay serves an HLS output's playlists and segments to players.
func (a *API) servePlay(w http.ResponseWriter, r *http.Request) {
	id, ok := a.playable(r.PathValue("token"))
	if !ok {
		a.writeError(w, r, errorf(http.StatusNotFound, codeNotFound, "no such playback, or its link expired: ask for the output again"))
		return
	}
	rel := path.Clean("/" + r.PathValue("file"))
	file := filepath.Join(a.files.output(id), filepath.FromSlash(rel))
	switch filepath.Ext(file) {
	case ".m3u8":
		w.Header().Set("Content-Type", "application/vnd.apple.mpegurl")
	case ".ts":
		w.Header().Set("Content-Type", "video/mp2t")
	case ".m4s", ".mp4":
		w.Header().Set("Content-Type", "video/mp4")
	default:
		a.writeError(w, r, errorf(http.StatusNotFound, codeNotFound, "no such file"))
		return
	}
	http.ServeFile(w, r, file)
}

// loadPlaySecret reads the secret play tokens are made with, creating it
// in the store the first time, so every gateway sharing the store agrees.
func loadPlaySecret(ctx context.Context, a *API) ([]byte, error) {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	if _, err := a.db.ExecContext(ctx, a.db.Q(`INSERT INTO vod_secrets (name, value) VALUES ('play', ?) ON CONFLICT (name) DO NOTHING`),
		hex.EncodeToString(b)); err != nil {
		return nil, err
	}
	var v string
	if err := a.db.QueryRowContext(ctx, a.db.Q(`SELECT value FROM vod_secrets WHERE name = 'play'`)).Scan(&v); err != nil {
		return nil, err
	}
	return hex.DecodeString(v)
}

// jobEvents streams a job as server-sent events: an "event: job" with the
// job's JSON whenever its state or progress changes, until it ends.
func (a *API) jobEvents(w http.ResponseWriter, r *http.Request, c caller) error {
	j, err := a.loadJob(r.Context(), c.owner, r.PathValue("id"))
	if err != nil {
		return err
	}
	flusher, ok := w.(http.Flusher)
	if !ok {
		return fmt.Errorf("streaming is not supported here")
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	tick := time.NewTicker(500 * time.Millisecond)
	defer tick.Stop()
	var last []byte
	for {
		b, _ := json.Marshal(j.response())
		if string(b) != string(last) {
			if _, err := fmt.Fprintf(w, "event: job\ndata: %s\n\n", b); err != nil {
				return nil //nolint:nilerr // the client left
			}
			flusher.Flush()
			last = b
		}
		if terminal(j.Status) {
			return nil
		}
		select {
		case <-r.Context().Done():
			return nil
		case <-tick.C:
		}
		if j, err = a.loadJob(r.Context(), c.owner, j.ID); err != nil {
			return nil //nolint:nilerr // the stream has begun; it just ends
		}
	}
}
