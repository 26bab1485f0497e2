package vod

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"
)

// maxJSONBody caps the body of a JSON request.
const maxJSONBody = 1 << 20

// idempotencyTTL is how long an answer is kept for replay.
const idempotencyTTL = 24 * time.Hour

// idempotent runs a POST once per Idempotency-Key, route and key owner: a
// retry with the same body gets the first answer again (with
// Idempotent-Replayed: true), one with another body gets 409, and one
// while the first still runs gets a retryable 409. Answers of 500 and
// above are not kept, so a retry runs again.
func (a *API) idempotent(w http.ResponseWriter, r *http.Request, c caller, rt route) error {
	key := r.Header.Get("Idempotency-Key")
	if len(key) > 128 {
		return errorf(http.StatusBadRequest, codeIdempotencyKey, "Idempotency-Key must be 1 to 128 characters")
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxJSONBody))
	if err != nil {
		return errorf(http.StatusRequestEntityTooLarge, codeTooLarge, "the body exceeds %d bytes", maxJSONBody)
	}
	sum := sha256.Sum256(append([]byte(r.URL.Path+"\n"), body...))
	r.Body = io.NopCloser(bytes.NewReader(body))
	_, err = a.once(w, r, c.owner, rt.pattern, key, hex.EncodeToString(sum[:]), func(w http.ResponseWriter) error {
		return rt.h(w, r, c)
	})
	return err
}

// once runs a request under an Idempotency-Key whose request hashes to
// hash: the first time run answers, and its answer is kept (below 500);
// later it is replayed, or refused when the hash differs. ran reports
// whether run ran.
func (a *API) once(w http.ResponseWriter, r *http.Request, owner, route, key, hash string, run func(http.ResponseWriter) error) (ran bool, err error) {
	claimed, err := a.claim(r.Context(), owner, route, key, hash)
	if err != nil {
		return false, err
	}
	if !claimed {
		return false, a.replay(w, r, owner, route, key, hash)
	}
	rec := &answerRecorder{header: http.Header{}}
	if err := run(rec); err != nil {
		a.writeError(rec, r, err)
	}
	// The answer is kept even when the client left; ctx may be done.
	ctx := context.WithoutCancel(r.Context())
	if rec.status >= http.StatusInternalServerError {
		_, err = a.db.ExecContext(ctx, a.db.Q(`DELETE FROM vod_idempotency WHERE owner = ? AND route = ? AND idem_key = ?`),
			owner, route, key)
	} else {
		_, err = a.db.ExecContext(ctx, a.db.Q(`UPDATE vod_idempotency SET status = ?, content_type = ?, body = ?
			WHERE owner = ? AND route = ? AND idem_key = ?`),
			rec.status, rec.header.Get("Content-Type"), rec.body.String(), owner, route, key)
	}
	if err != nil {
		a.logger.Warn("keeping an idempotent answer", "request_id", requestID(r), "err", err)
	}
	rec.flush(w)
	return true, nil
}

// claim records that a request with this key runs now; false means one
// came before.
func (a *API) claim(ctx context.Context, owner, route, key, hash string) (bool, error) {
	res, err := a.db.ExecContext(ctx, a.db.Q(`INSERT INTO vod_idempotency
		(owner, route, idem_key, request_hash, status, content_type, body, created_at) VALUES (?, ?, ?, ?, 0, '', '', ?)
		ON CONFLICT (owner, route, idem_key) DO NOTHING`), owner, route, key, hash, a.now().UnixMilli())
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// replay answers a request whose key was seen: the kept answer, or 409.
func (a *API) replay(w http.ResponseWriter, r *http.Request, owner, route, key, hash string) error {
	var was, contentType, body string
	var status int
	err := a.db.QueryRowContext(r.Context(), a.db.Q(`SELECT request_hash, status, content_type, body FROM vod_idempotency
		WHERE owner = ? AND route = ? AND idem_key = ?`), owner, route, key).Scan(&was, &status, &contentType, &body)
	switch {
	case errors.Is(err, sql.ErrNoRows): // the first run failed and let go of the key meanwhile
		return &Error{
			Status: http.StatusConflict, Code: codeConflict, Retryable: true,
			Message: "a request with this Idempotency-Key just failed; send it again",
		}
	case err != nil:
		return err
	case was != hash:
		return errorf(http.StatusConflict, codeConflict, "this Idempotency-Key was used with a different request")
	case status == 0:
		return &Error{
			Status: http.StatusConflict, Code: codeConflict, Retryable: true, RetryAfter: 1,
			Message: "a request with this Idempotency-Key is still running",
		}
	}
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Idempotent-Replayed", "true")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
	return nil
}

// answerRecorder keeps an answer to store it before sending it.
type answerRecorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (a *answerRecorder) Header() http.Header { return a.header }

func (a *answerRecorder) WriteHeader(code int) {
	if a.status == 0 {
		a.status = code
	}
}

func (a *answerRecorder) Write(b []byte) (int, error) {
	if a.status == 0 {
		a.status = http.StatusOK
	}
	return a.body.Write(b)
}

func (a *answerRecorder) flush(w http.ResponseWriter) {
	for k, v := range a.header {
		w.Header()[k] = v
	}
	w.Header().Set("Content-Length", strconv.Itoa(a.body.Len()))
	w.WriteHeader(a.status)
	_, _ = w.Write(a.body.Bytes())
}

// purgeIdempotency drops answers older than idempotencyTTL.
func (a *API) purgeIdempotency(ctx context.Context) error {
	_, err := a.db.ExecContext(ctx, a.db.Q(`DELETE FROM vod_idempotency WHERE created_at < ?`),
		a.now().Add(-idempotencyTTL).UnixMilli())
	return err
}
