package vod

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/castmesh/castmesh/pkg/httpjson"
	"github.com/castmesh/castmesh/pkg/media"
)

// Upload states.
const (
	uploadUploading = "uploading"
	uploadCompleted = "completed"
	uploadFailed    = "failed"
	uploadCanceled  = "canceled"
	uploadExpired   = "expired"
)

// upload is one row of vod_uploads.
type upload struct {
	ID, Owner, Status, FileName, MimeType string
	FileSize, ChunkSize                   int64
	TotalChunks                           int
	CreatedAt, ExpiresAt                  time.Time
	SHA256, Reason                        string
	Source                                *SourceInfo
}

// SourceInfo is what probing found in a completed upload or a fetched URL.
type SourceInfo struct {
	Bytes           int64   `json:"bytes"`
	SHA256          string  `json:"sha256"`
	DurationSeconds float64 `json:"duration_seconds"`
	Width           int     `json:"width"`
	Height          int     `json:"height"`
	Resolution      string  `json:"resolution"`
	FrameRate       float64 `json:"frame_rate"`
	VideoCodec      string  `json:"video_codec"`
	PixFmt          string  `json:"pix_fmt"`
	Frames          int64   `json:"frames"`
	AudioCodec      string  `json:"audio_codec,omitempty"`
	Container       string  `json:"container"`
}

func sourceInfo(info media.FileInfo, bytes int64, sum string) *SourceInfo {
	v := info.Video
	s := &SourceInfo{
		Bytes: bytes, SHA256: sum, DurationSeconds: info.Duration.Seconds(), Width: v.Width, Height: v.Height,
		Resolution: fmt.Sprintf("%dx%d", v.Width, v.Height), FrameRate: v.FPS, VideoCodec: v.Codec,
		PixFmt: v.PixFmt, Frames: v.Frames, Container: info.Format,
	}
	if info.Audio != nil {
		s.AudioCodec = info.Audio.Codec
	}
	return s
}

// Chunk sizes: parts of 8 MiB up to 1 GiB, 16 MiB up to 10 GiB, then
// 32 MiB, as SOPHON's tiers; a caller may ask for any size from 1 MiB to
// 64 MiB.
const (
	minChunk = 1 << 20
	maxChunk = 64 << 20
)

func chunkSizeFor(size int64) int64 {
	switch {
	case size <= 1<<30:
		return 8 << 20
	case size <= 10<<30:
		return 16 << 20
	default:
		return 32 << 20
	}
}

type createUploadRequest struct {
	FileName  string `json:"file_name"`
	FileSize  int64  `json:"file_size"`
	MimeType  string `json:"mime_type"`
	ChunkSize int64  `json:"chunk_size"`
}

func (a *API) createUpload(w http.ResponseWriter, r *http.Request, c caller) error {
	var req createUploadRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	switch {
	case strings.TrimSpace(req.FileName) == "" || len(req.FileName) > 255:
		return invalid("file_name must be 1 to 255 characters")
	case req.FileSize < 1:
		return invalid("file_size must be at least 1")
	case req.FileSize > a.cfg.MaxUploadBytes:
		return errorf(http.StatusRequestEntityTooLarge, codeTooLarge, "file_size %d exceeds the limit of %d bytes", req.FileSize, a.cfg.MaxUploadBytes)
	case req.MimeType == "":
		return invalid("mime_type must be set")
	case req.ChunkSize != 0 && (req.ChunkSize < minChunk || req.ChunkSize > maxChunk):
		return invalid("chunk_size must be from %d to %d bytes", minChunk, maxChunk)
	}
	chunk := req.ChunkSize
	if chunk == 0 {
		chunk = chunkSizeFor(req.FileSize)
	}
	now := a.now()
	u := upload{
		ID: newID("upl_"), Owner: c.owner, Status: uploadUploading, FileName: req.FileName, MimeType: req.MimeType,
		FileSize: req.FileSize, ChunkSize: min(chunk, req.FileSize), CreatedAt: now, ExpiresAt: now.Add(a.cfg.UploadTTL),
	}
	u.TotalChunks = int((u.FileSize + u.ChunkSize - 1) / u.ChunkSize)
	if err := a.quota.admitUpload(r.Context(), c.owner, now, u.FileSize, func(ctx context.Context) error {
		return a.insertUpload(ctx, u)
	}); err != nil {
		return err
	}
	httpjson.Write(w, http.StatusCreated, a.uploadJSON(u, nil))
	return nil
}

// insertUpload records a new upload (a completed one comes with its
// SHA-256 and source facts).
func (a *API) insertUpload(ctx context.Context, u upload) error {
	facts := ""
	if u.Source != nil {
		b, _ := json.Marshal(u.Source)
		facts = string(b)
	}
	_, err := a.db.ExecContext(ctx, a.db.Q(`INSERT INTO vod_uploads
		(id, owner, status, file_name, file_size, mime_type, chunk_size, total_chunks, created_at, expires_at, sha256, source)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		u.ID, u.Owner, u.Status, u.FileName, u.FileSize, u.MimeType, u.ChunkSize, u.TotalChunks,
		u.CreatedAt.UnixMilli(), u.ExpiresAt.UnixMilli(), u.SHA256, facts)
	return err
}

// uploadResponse is an upload as the API shows it.
type uploadResponse struct {
	ID             string      `json:"id"`
	Status         string      `json:"status"`
	FileName       string      `json:"file_name"`
	FileSize       int64       `json:"file_size"`
	MimeType       string      `json:"mime_type"`
	ChunkSize      int64       `json:"chunk_size"`
	TotalChunks    int         `json:"total_chunks"`
	ReceivedChunks []int       `json:"received_chunks"`
	CreatedAt      time.Time   `json:"created_at"`
	ExpiresAt      time.Time   `json:"expires_at"`
	SHA256         *string     `json:"sha256"`
	Source         *SourceInfo `json:"source"`
	Reason         *string     `json:"reason"`
}

func (a *API) uploadJSON(u upload, received []int) uploadResponse {
	out := uploadResponse{
		ID: u.ID, Status: u.Status, FileName: u.FileName, FileSize: u.FileSize, MimeType: u.MimeType,
		ChunkSize: u.ChunkSize, TotalChunks: u.TotalChunks, ReceivedChunks: received,
		CreatedAt: u.CreatedAt.UTC(), ExpiresAt: u.ExpiresAt.UTC(), Source: u.Source,
	}
	if out.ReceivedChunks == nil {
		out.ReceivedChunks = []int{}
	}
	if u.SHA256 != "" {
		out.SHA256 = &u.SHA256
	}
	if u.Reason != "" {
		out.Reason = &u.Reason
	}
	return out
}

func (a *API) getUpload(w http.ResponseWriter, r *http.Request, c caller) error {
	u, err := a.loadUpload(r.Context(), c, r.PathValue("id"))
	if err != nil {
		return err
	}
	received, err := a.receivedParts(r.Context(), u.ID)
	if err != nil {
		return err
	}
	httpjson.Write(w, http.StatusOK, a.uploadJSON(u, received))
	return nil
}

// putPart keeps one part. A part already received is acknowledged and
// not rewritten, so a client may send any part again.
func (a *API) putPart(w http.ResponseWriter, r *http.Request, c caller) error {
	u, err := a.loadUpload(r.Context(), c, r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := a.writable(u); err != nil {
		return err
	}
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 0 || n >= u.TotalChunks {
		return errorf(http.StatusBadRequest, codePartRange, "part %q is not one of 0 to %d", r.PathValue("n"), u.TotalChunks-1)
	}
	if ct := r.Header.Get("Content-Type"); ct != "" && ct != "application/octet-stream" {
		return errorf(http.StatusUnsupportedMediaType, codeMediaType, "send parts as application/octet-stream, not %s", ct)
	}
	// Every part but the last is chunk_size bytes. The last may be shorter
	// or longer than the declared size leaves for it, up to chunk_size:
	// complete compares the sum with file_size.
	last := n == u.TotalChunks-1
	var have int
	err = a.db.QueryRowContext(r.Context(), a.db.Q(`SELECT COUNT(*) FROM vod_upload_parts WHERE upload_id = ? AND part = ?`), u.ID, n).Scan(&have)
	if err != nil {
		return err
	}
	if have == 0 {
		if err := a.keepPart(r, u, n, last); err != nil {
			return err
		}
	} else {
		_, _ = io.Copy(io.Discard, io.LimitReader(r.Body, u.ChunkSize+1))
	}
	httpjson.Write(w, http.StatusOK, map[string]any{"part_number": n, "received": true})
	return nil
}

// keepPart writes part n and records it: chunk_size bytes, or for the
// last part from 1 to chunk_size.
func (a *API) keepPart(r *http.Request, u upload, n int, last bool) error {
	want := fmt.Sprintf("%d bytes", u.ChunkSize)
	if last {
		want = fmt.Sprintf("1 to %d bytes", u.ChunkSize)
	}
	fits := func(size int64) bool { return size == u.ChunkSize || last && size >= 1 && size <= u.ChunkSize }
	if r.ContentLength >= 0 && !fits(r.ContentLength) {
		return errorf(http.StatusBadRequest, codePartSize, "part %d must be %s, not %d", n, want, r.ContentLength)
	}
	path := a.files.part(u.ID, n)
	body := &readErr{r: r.Body}
	got, err := writeFile(path, body, u.ChunkSize)
	switch {
	case errors.Is(err, errTooLong):
		return errorf(http.StatusBadRequest, codePartSize, "part %d must be %s; more came", n, want)
	case err != nil && body.err != nil:
		return errorf(http.StatusBadRequest, codePartSize, "part %d was cut off: %v", n, body.err)
	case err != nil:
		return err
	case !fits(got):
		os.Remove(path)
		return errorf(http.StatusBadRequest, codePartSize, "part %d must be %s, not %d", n, want, got)
	}
	_, err = a.db.ExecContext(r.Context(), a.db.Q(`INSERT INTO vod_upload_parts (upload_id, part, size) VALUES (?, ?, ?)
		ON CONFLICT (upload_id, part) DO NOTHING`), u.ID, n, got)
	if err == nil {
		a.metrics.uploadedBytes.Add(float64(got))
	}
	return err
}

// readErr remembers the error its reader returned other than io.EOF: the
// client's, not the disk's.
type readErr struct {
	r   io.Reader
	err error
}

func (e *readErr) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err != nil && !errors.Is(err, io.EOF) {
		e.err = err
	}
	return n, err
}

// writable says why parts cannot go to u now, if they cannot.
func (a *API) writable(u upload) error {
	if u.Status != uploadUploading {
		return errorf(http.StatusConflict, codeUploadState, "upload %s is %s", u.ID, u.Status)
	}
	if !a.now().Before(u.ExpiresAt) {
		return errorf(http.StatusGone, codeUploadExpired, "upload %s expired at %s", u.ID, u.ExpiresAt.UTC().Format(time.RFC3339))
	}
	return nil
}

// completeUpload assembles the parts, checks the size and probes the file.
// A file that fails is removed with its parts; the upload is then failed.
func (a *API) completeUpload(w http.ResponseWriter, r *http.Request, c caller) error {
	u, err := a.loadUpload(r.Context(), c, r.PathValue("id"))
	if err != nil {
		return err
	}
	if u.Status == uploadCompleted { // completed before (a retry without Idempotency-Key)
		httpjson.Write(w, http.StatusOK, a.uploadJSON(u, nil))
		return nil
	}
	if err := a.writable(u); err != nil {
		return err
	}
	received, err := a.receivedParts(r.Context(), u.ID)
	if err != nil {
		return err
	}
	if missing := missingParts(received, u.TotalChunks); len(missing) > 0 {
		return errorf(http.StatusBadRequest, codePartsMissing, "%d of %d parts are missing: %s", len(missing), u.TotalChunks, summarize(missing))
	}
	files := make([]string, u.TotalChunks)
	for i := range files {
		files[i] = a.files.part(u.ID, i)
	}
	src := a.files.source(u.ID)
	size, sum, err := concat(src, files)
	if err != nil {
		return err
	}
	if size != u.FileSize {
		return a.failUpload(r.Context(), u, errorf(http.StatusUnprocessableEntity, codeSizeMismatch,
			"the parts add up to %d bytes, the upload declared %d", size, u.FileSize))
	}
	info, err := media.ProbeFile(r.Context(), a.cfg.FFprobe, src)
	if err != nil {
		if errors.Is(err, media.ErrInvalidInput) {
			return a.failUpload(r.Context(), u, errorf(http.StatusUnprocessableEntity, codeSourceInvalid, "%v", err))
		}
		return err
	}
	if info.Duration > a.cfg.MaxDuration {
		return a.failUpload(r.Context(), u, errorf(http.StatusUnprocessableEntity, codeSourceTooLong,
			"the video lasts %s; the limit is %s", info.Duration.Round(time.Second), a.cfg.MaxDuration))
	}
	u.Status, u.SHA256, u.Source = uploadCompleted, sum, sourceInfo(info, size, sum)
	facts, _ := json.Marshal(u.Source)
	if _, err := a.db.ExecContext(r.Context(), a.db.Q(`UPDATE vod_uploads SET status = ?, sha256 = ?, source = ? WHERE id = ?`),
		u.Status, u.SHA256, string(facts), u.ID); err != nil {
		return err
	}
	_ = os.RemoveAll(a.files.parts(u.ID))
	httpjson.Write(w, http.StatusOK, a.uploadJSON(u, nil))
	return nil
}

// failUpload removes an upload's files, marks it failed with the reason
// and returns the reason to answer with.
func (a *API) failUpload(ctx context.Context, u upload, reason *Error) error {
	_ = os.RemoveAll(a.files.upload(u.ID))
	if _, err := a.db.ExecContext(context.WithoutCancel(ctx), a.db.Q(`UPDATE vod_uploads SET status = ?, reason = ? WHERE id = ?`),
		uploadFailed, reason.Message, u.ID); err != nil {
		return err
	}
	return reason
}

func (a *API) deleteUpload(w http.ResponseWriter, r *http.Request, c caller) error {
	u, err := a.loadUpload(r.Context(), c, r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := a.dropUpload(r.Context(), u.ID, uploadCanceled); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// dropUpload removes an upload's files and sets its final state.
func (a *API) dropUpload(ctx context.Context, id, status string) error {
	if err := os.RemoveAll(a.files.upload(id)); err != nil {
		return err
	}
	_, err := a.db.ExecContext(ctx, a.db.Q(`UPDATE vod_uploads SET status = ? WHERE id = ?`), status, id)
	return err
}

// expireUploads drops the files of uploads past their time that never
// completed, and old idempotency records.
func (a *API) expireUploads(ctx context.Context) error {
	rows, err := a.db.QueryContext(ctx, a.db.Q(`SELECT id FROM vod_uploads WHERE status = ? AND expires_at <= ?`),
		uploadUploading, a.now().UnixMilli())
	if err != nil {
		return err
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, id := range ids {
		if err := a.dropUpload(ctx, id, uploadExpired); err != nil {
			return err
		}
	}
	return a.purgeIdempotency(ctx)
}

// loadUpload reads an upload the caller's owner may see.
func (a *API) loadUpload(ctx context.Context, c caller, id string) (upload, error) {
	var u upload
	var created, expires int64
	var source string
	err := a.db.QueryRowContext(ctx, a.db.Q(`SELECT id, owner, status, file_name, file_size, mime_type, chunk_size,
		total_chunks, created_at, expires_at, sha256, source, reason FROM vod_uploads WHERE id = ? AND owner = ?`), id, c.owner).
		Scan(&u.ID, &u.Owner, &u.Status, &u.FileName, &u.FileSize, &u.MimeType, &u.ChunkSize,
			&u.TotalChunks, &created, &expires, &u.SHA256, &source, &u.Reason)
	if errors.Is(err, sql.ErrNoRows) {
		return upload{}, notFound("upload", id)
	}
	if err != nil {
		return upload{}, err
	}
	u.CreatedAt, u.ExpiresAt = time.UnixMilli(created), time.UnixMilli(expires)
	if source != "" {
		u.Source = &SourceInfo{}
		if err := json.Unmarshal([]byte(source), u.Source); err != nil {
			return upload{}, fmt.Errorf("upload %s: source facts: %w", id, err)
		}
	}
	return u, nil
}

func (a *API) receivedParts(ctx context.Context, id string) ([]int, error) {
	rows, err := a.db.QueryContext(ctx, a.db.Q(`SELECT part FROM vod_upload_parts WHERE upload_id = ? ORDER BY part`), id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var n int
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// missingParts lists the part numbers below total not in received (sorted).
func missingParts(received []int, total int) []int {
	have := make(map[int]bool, len(received))
	for _, n := range received {
		have[n] = true
	}
	var out []int
	for n := range total {
		if !have[n] {
			out = append(out, n)
		}
	}
	return out
}

// summarize lists up to ten numbers.
func summarize(ns []int) string {
	var b strings.Builder
	for i, n := range ns {
		if i == 10 {
			fmt.Fprintf(&b, " and %d more", len(ns)-i)
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Itoa(n))
	}
	return b.String()
}

// decodeJSON reads a JSON body strictly: unknown fields and trailing data
// are errors naming what is wrong.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return errorf(http.StatusUnsupportedMediaType, codeMediaType, "send application/json, not %s", ct)
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxJSONBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return errorf(http.StatusRequestEntityTooLarge, codeTooLarge, "the body exceeds %d bytes", maxJSONBody)
		}
		return invalid("the body is not the JSON this route takes: %v", err)
	}
	if dec.More() {
		return invalid("the body has data after its JSON object")
	}
	return nil
}
