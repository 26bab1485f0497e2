// Package vod is the gateway's file API: people who are not broadcasters
// upload a video (in resumable parts) or name one by URL, and get it back
// optimized or packaged for streaming, transcoded in parallel across the
// network's orchestrators.
//
// The API is described by its own OpenAPI document (openapi.yaml, served
// at /v1/openapi.yaml). Every response carries an X-Request-Id; errors are
// {"error":{"code","message","retryable","request_id"}}. Callers send a
// Bearer API key whose scopes name what it may do; every POST takes an
// Idempotency-Key (same key and body: the first answer again; another
// body: 409), scoped per route and per key owner. Requests are rate
// limited per key and per client address (429 with Retry-After). Each
// owner has a quota of jobs queued or running and of jobs per window (429
// quota_exceeded with Retry-After), and the runner serves owners in turn
// rather than jobs first come, first served (fairqueue.go), so one key
// cannot fill the network.
//
// State (uploads, jobs, keys, idempotency records) lives in pkg/store:
// SQLite by default, PostgreSQL when configured, so several gateways can
// share one store. Media lives on local disk under media_dir, which
// gateways sharing a store must share too.
package vod
