// Package auth decides which publishers may stream and what their streams
// are called. Keys are checked in order: the static keys in the config; then
// the auth webhook, if one is set; then, only in dev mode (allow_any_key),
// any key at all.
//
// The webhook gets a POST with JSON {"key", "remote_addr", "protocol"}. A
// 200 admits the stream; its body may be empty or JSON with "playback_id"
// and "profiles" (the ladder for this stream). Any other status, a timeout
// or a malformed body refuses it: when the webhook cannot be asked, the safe
// answer is no.
//
// The playback id names a stream in public URLs, so it is never the secret
// key. Unless configured or set by the webhook it is derived from the key
// with HMAC-SHA256 under playback_secret, so a stream keeps its URLs across
// reconnects and restarts while the key stays unguessable from them.
package auth
