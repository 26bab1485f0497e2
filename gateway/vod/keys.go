package vod

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/castmesh/castmesh/pkg/store"
)

// The scopes a key may carry, as SOPHON names them.
const (
	scopeJobsRead       = "jobs:read"
	scopeJobsCreate     = "jobs:create"
	scopeJobsCancel     = "jobs:cancel"
	scopeOutputsRead    = "outputs:read"
	scopeUploadsCreate  = "uploads:create"
	scopeUploadsRead    = "uploads:read"
	scopeUploadsWrite   = "uploads:write"
	scopeWebhooksManage = "webhooks:manage"
)

// Scopes lists every scope.
func Scopes() []string {
	return []string{
		scopeJobsRead, scopeJobsCreate, scopeJobsCancel, scopeOutputsRead,
		scopeUploadsCreate, scopeUploadsRead, scopeUploadsWrite, scopeWebhooksManage,
	}
}

func validScope(s string) bool { return slices.Contains(Scopes(), s) }

// caller is who sent a request: the key's id, its owner (whose uploads and
// jobs it sees) and its scopes.
type caller struct {
	keyID  string
	owner  string
	scopes []string
}

func (c caller) may(scope string) bool { return slices.Contains(c.scopes, scope) }

// openCaller is everyone when no key is configured.
func openCaller() caller { return caller{keyID: "open", owner: "open", scopes: Scopes()} }

// keyring checks bearer keys against the store, where only their SHA-256
// is kept.
type keyring struct {
	db   *store.DB
	open bool
}

// newKeyring writes the configured keys to the store (their hash, name,
// owner and scopes; a key configured again is updated).
func newKeyring(ctx context.Context, db *store.DB, keys []APIKey, now func() time.Time) (*keyring, error) {
	for _, k := range keys {
		owner, scopes := k.Owner, k.Scopes
		if owner == "" {
			owner = k.Name
		}
		if len(scopes) == 0 {
			scopes = Scopes()
		}
		h := hashKey(k.Key)
		_, err := db.ExecContext(ctx, db.Q(`INSERT INTO vod_keys (id, hash, name, owner, scopes, created_at) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (hash) DO UPDATE SET name = excluded.name, owner = excluded.owner, scopes = excluded.scopes`),
			"key_"+h[:16], h, k.Name, owner, strings.Join(scopes, " "), now().UnixMilli())
		if err != nil {
			return nil, err
		}
	}
	return &keyring{db: db, open: len(keys) == 0}, nil
}

func hashKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

// authenticate finds the caller of a request by its Bearer key.
func (k *keyring) authenticate(r *http.Request) (caller, error) {
	if k.open {
		return openCaller(), nil
	}
	key, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || key == "" {
		return caller{}, errorf(http.StatusUnauthorized, codeUnauthorized, "send an API key: Authorization: Bearer <key>")
	}
	var c caller
	var scopes string
	err := k.db.QueryRowContext(r.Context(), k.db.Q(`SELECT id, owner, scopes FROM vod_keys WHERE hash = ?`), hashKey(key)).
		Scan(&c.keyID, &c.owner, &scopes)
	if errors.Is(err, sql.ErrNoRows) {
		return caller{}, errorf(http.StatusUnauthorized, codeUnauthorized, "unknown API key")
	}
	if err != nil {
		return caller{}, err
	}
	c.scopes = strings.Fields(scopes)
	return c, nil
}
