package vod

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/castmesh/castmesh/pkg/httpjson"
)

// Webhooks: a caller registers a URL and gets a secret once; a job names
// the webhooks it notifies. When the job ends (completed, failed,
// canceled), each gets a POST whose body is signed:
//
//	X-Castmesh-Signature: sha256=hex(HMAC-SHA256(secret, "{timestamp}.{body}"))
//	X-Castmesh-Timestamp: Unix seconds
//	X-Castmesh-Event-Id: evt_…, the same for every retry of one event
//
// A delivery that fails (no 2xx within webhooks.timeout) is tried again
// after each of webhooks.retries; every attempt is logged on the job.

// SignatureHeader and the others name the delivery headers.
const (
	SignatureHeader = "X-Castmesh-Signature"
	TimestampHeader = "X-Castmesh-Timestamp"
	EventIDHeader   = "X-Castmesh-Event-Id"
)

// Sign returns the signature header value of a delivery.
func Sign(secret, timestamp string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(timestamp + "."))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

type webhookRequest struct {
	URL  string `json:"url"`
	Name string `json:"name"`
}

type webhookResponse struct {
	ID        string    `json:"id"`
	URL       string    `json:"url"`
	Name      string    `json:"name"`
	Secret    string    `json:"secret,omitempty"`
	Active    bool      `json:"active"`
	CreatedAt time.Time `json:"created_at"`
}

func (a *API) createWebhook(w http.ResponseWriter, r *http.Request, c caller) error {
	var req webhookRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	u, err := url.Parse(req.URL)
	switch {
	case err != nil || u.Host == "" || u.User != nil:
		return errorf(http.StatusBadRequest, codeWebhookURL, "url must be an absolute URL without credentials")
	case u.Scheme != "https" && (!a.cfg.AllowPrivateURLs || u.Scheme != "http"):
		return errorf(http.StatusBadRequest, codeWebhookURL, "url must be https")
	case len(req.Name) > 200:
		return invalid("name must be at most 200 characters")
	}
	if err := a.checkURL(r.Context(), req.URL, "url", codeWebhookURL); err != nil {
		return err
	}
	secret := make([]byte, 32)
	_, _ = rand.Read(secret)
	h := webhookResponse{
		ID: newID("wh_"), URL: req.URL, Name: req.Name, Secret: hex.EncodeToString(secret), Active: true, CreatedAt: a.now().UTC(),
	}
	if _, err := a.db.ExecContext(r.Context(), a.db.Q(`INSERT INTO vod_webhooks (id, owner, url, name, secret, active, created_at)
		VALUES (?, ?, ?, ?, ?, 1, ?)`), h.ID, c.owner, h.URL, h.Name, h.Secret, h.CreatedAt.UnixMilli()); err != nil {
		return err
	}
	httpjson.Write(w, http.StatusCreated, h)
	return nil
}

func (a *API) listWebhooks(w http.ResponseWriter, r *http.Request, c caller) error {
	rows, err := a.db.QueryContext(r.Context(), a.db.Q(`SELECT id, url, name, created_at FROM vod_webhooks
		WHERE owner = ? AND active = 1 ORDER BY created_at, id`), c.owner)
	if err != nil {
		return err
	}
	defer rows.Close()
	out := struct {
		Webhooks []webhookResponse `json:"webhooks"`
	}{Webhooks: []webhookResponse{}}
	for rows.Next() {
		h := webhookResponse{Active: true}
		var created int64
		if err := rows.Scan(&h.ID, &h.URL, &h.Name, &created); err != nil {
			return err
		}
		h.CreatedAt = time.UnixMilli(created).UTC()
		out.Webhooks = append(out.Webhooks, h)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	httpjson.Write(w, http.StatusOK, out)
	return nil
}

// deleteWebhook deactivates a webhook: jobs naming it stop notifying it.
func (a *API) deleteWebhook(w http.ResponseWriter, r *http.Request, c caller) error {
	res, err := a.db.ExecContext(r.Context(), a.db.Q(`UPDATE vod_webhooks SET active = 0 WHERE id = ? AND owner = ? AND active = 1`),
		r.PathValue("id"), c.owner)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound("webhook", r.PathValue("id"))
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) webhookExists(ctx context.Context, c caller, id string) error {
	var n int
	if err := a.db.QueryRowContext(ctx, a.db.Q(`SELECT COUNT(*) FROM vod_webhooks WHERE id = ? AND owner = ? AND active = 1`),
		id, c.owner).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return invalid("webhook_ids: no webhook %q", id)
	}
	return nil
}

// Event is the body of a delivery.
type Event struct {
	EventID   string         `json:"event_id"`
	Type      string         `json:"type"`
	Timestamp time.Time      `json:"timestamp"`
	JobID     string         `json:"job_id"`
	Status    string         `json:"status"`
	Metadata  map[string]any `json:"metadata"`
	Job       jobResponse    `json:"job"`
}

// notify queues a job's terminal event for each webhook it names.
func (a *API) notify(ctx context.Context, jobID string) {
	j, err := a.loadJobByID(ctx, jobID)
	if err != nil || !terminal(j.Status) {
		return
	}
	for _, wh := range j.Req.WebhookIDs {
		ev := Event{
			EventID: newID("evt_"), Type: "job." + j.Status, Timestamp: a.now().UTC(), JobID: j.ID, Status: j.Status,
			Metadata: j.Req.Metadata, Job: j.response(),
		}
		body, _ := json.Marshal(ev)
		_, err := a.db.ExecContext(ctx, a.db.Q(`INSERT INTO vod_deliveries
			(id, job_id, webhook_id, event_id, type, body, status, attempts, next_at, last_error, created_at)
			VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?, '', ?)`),
			newID("dlv_"), j.ID, wh, ev.EventID, ev.Type, string(body), a.now().UnixMilli(), a.now().UnixMilli())
		if err != nil {
			a.logger.Warn("queueing a webhook delivery", "job", j.ID, "webhook", wh, "err", err)
		}
	}
	a.wakeDeliveries()
}

func (a *API) wakeDeliveries() {
	select {
	case a.deliverCh <- struct{}{}:
	default:
	}
}

// deliverLoop sends due deliveries until ctx ends.
func (a *API) deliverLoop(ctx context.Context) {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	client := outboundClient(a.cfg.AllowPrivateURLs, a.cfg.Webhooks.Timeout)
	for {
		if err := a.deliverDue(ctx, client); err != nil && ctx.Err() == nil {
			a.logger.Warn("delivering webhooks", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		case <-a.deliverCh:
		}
	}
}

type delivery struct {
	id, jobID, webhookID, eventID, body, url, secret string
	attempts                                         int
	nextAt                                           int64
	active                                           bool
}

// deliverDue claims the due deliveries (pushing their time on, so another
// gateway does not send them at once) and sends each.
func (a *API) deliverDue(ctx context.Context, client *http.Client) error {
	now := a.now().UnixMilli()
	rows, err := a.db.QueryContext(ctx, a.db.Q(`SELECT d.id, d.job_id, d.webhook_id, d.event_id, d.body, d.attempts, d.next_at,
		h.url, h.secret, h.active FROM vod_deliveries d JOIN vod_webhooks h ON h.id = d.webhook_id
		WHERE d.status = 'pending' AND d.next_at <= ? ORDER BY d.next_at LIMIT 32`), now)
	if err != nil {
		return err
	}
	var due []delivery
	for rows.Next() {
		var d delivery
		var active int
		if err := rows.Scan(&d.id, &d.jobID, &d.webhookID, &d.eventID, &d.body, &d.attempts, &d.nextAt, &d.url, &d.secret, &active); err != nil {
			rows.Close()
			return err
		}
		d.active = active != 0
		due = append(due, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, d := range due {
		hold := now + (a.cfg.Webhooks.Timeout + 5*time.Second).Milliseconds()
		res, err := a.db.ExecContext(ctx, a.db.Q(`UPDATE vod_deliveries SET next_at = ? WHERE id = ? AND next_at = ? AND status = 'pending'`),
			hold, d.id, d.nextAt)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			continue // another gateway took it
		}
		a.attempt(ctx, client, d)
	}
	return nil
}

// attempt sends one delivery and records the outcome.
func (a *API) attempt(ctx context.Context, client *http.Client, d delivery) {
	err := errors.New("the webhook was deleted")
	if d.active {
		err = a.post(ctx, client, d)
	}
	d.attempts++
	status, next, lastErr := "delivered", int64(0), ""
	if err != nil {
		lastErr = err.Error()
		if d.active && d.attempts <= len(a.cfg.Webhooks.Retries) {
			status, next = "pending", a.now().Add(a.cfg.Webhooks.Retries[d.attempts-1]).UnixMilli()
		} else {
			status = "failed"
		}
		a.logger.Info("webhook delivery failed", "job", d.jobID, "webhook", d.webhookID, "attempt", d.attempts, "err", err)
	}
	if _, err := a.db.ExecContext(context.WithoutCancel(ctx), a.db.Q(`UPDATE vod_deliveries SET status = ?, attempts = ?, next_at = ?,
		last_error = ? WHERE id = ?`), status, d.attempts, next, lastErr, d.id); err != nil {
		a.logger.Warn("recording a webhook delivery", "delivery", d.id, "err", err)
	}
}

func (a *API) post(ctx context.Context, client *http.Client, d delivery) error {
	ts := strconv.FormatInt(a.now().Unix(), 10)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.url, strings.NewReader(d.body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "castmesh-webhooks")
	req.Header.Set(TimestampHeader, ts)
	req.Header.Set(EventIDHeader, d.eventID)
	req.Header.Set(SignatureHeader, Sign(d.secret, ts, []byte(d.body)))
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("the receiver answered %s", resp.Status)
	}
	return nil
}

// deliveryLog is one event's deliveries to one webhook, as the job's log
// shows them.
type deliveryLog struct {
	EventID   string  `json:"event_id"`
	Type      string  `json:"type"`
	WebhookID string  `json:"webhook_id"`
	Status    string  `json:"status"`
	Attempts  int     `json:"attempts"`
	LastError *string `json:"last_error"`
}

// jobDeliveries lists the deliveries of a job's events.
func (a *API) jobDeliveries(w http.ResponseWriter, r *http.Request, c caller) error {
	j, err := a.loadJob(r.Context(), c.owner, r.PathValue("id"))
	if err != nil {
		return err
	}
	rows, err := a.db.QueryContext(r.Context(), a.db.Q(`SELECT event_id, type, webhook_id, status, attempts, last_error
		FROM vod_deliveries WHERE job_id = ? ORDER BY created_at, id`), j.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	out := struct {
		Deliveries []deliveryLog `json:"deliveries"`
	}{Deliveries: []deliveryLog{}}
	for rows.Next() {
		var d deliveryLog
		var last string
		if err := rows.Scan(&d.EventID, &d.Type, &d.WebhookID, &d.Status, &d.Attempts, &last); err != nil {
			return err
		}
		if last != "" {
			d.LastError = &last
		}
		out.Deliveries = append(out.Deliveries, d)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	httpjson.Write(w, http.StatusOK, out)
	return nil
}
