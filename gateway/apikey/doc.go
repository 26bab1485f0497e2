// Package apikey is the gateway's one notion of a caller's API key, for
// the routes where money or private data is at stake: the AI API, which
// spends the gateway's deposit, and the stream listing, which names every
// private playback id.
//
// A key is a bearer token (Authorization: Bearer <key>) with a name, its
// scopes and its limits: a token bucket of requests, a cap on requests at
// once, and a cap on the wei its AI requests may cost over a window. Only
// the SHA-256 of a key is kept in memory, so a heap dump does not leak it
// and lookups take the same time whatever the key.
//
// Whether keys are needed follows where the HTTP port listens (require:
// auto): on loopback with no key configured and no reverse proxy in front
// (trusted_proxies empty) the routes are open, for the devnet and a single
// machine; anywhere else a key is needed, and with none configured every
// such request is refused. require: always and never override that.
package apikey
