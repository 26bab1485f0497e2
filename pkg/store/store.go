// Package store opens the database a node keeps its durable state in
// (payment balances, the winning-ticket queue, VOD uploads and jobs) and
// migrates each component's tables. By default that is a SQLite file, with
// modernc.org/sqlite, a pure-Go SQLite, so a node needs no C library or
// server; OpenURL also opens PostgreSQL (pgx), so several gateways can
// share one store.
//
// The database runs in WAL mode with a busy timeout, and writes take the
// lock at BEGIN (BEGIN IMMEDIATE), so concurrent writers queue rather than
// fail. Every component registers its own ordered list of migrations;
// applied versions are recorded per component, so components evolve apart.
//
// modernc.org/sqlite is pinned at v1.60.0: v1.61.x requires a
// github.com/google/pprof version the Go module proxy here refuses, and
// `go mod tidy` (which resolves dependencies' test imports) then fails.
package store

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver
)

// Open opens (creating when missing) the database file at path.
func Open(ctx context.Context, path string) (*sql.DB, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	q := url.Values{}
	for _, p := range []string{"busy_timeout(10000)", "journal_mode(WAL)", "foreign_keys(1)", "synchronous(NORMAL)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	return db, nil
}

// Migrate applies component's migrations that have not run yet, each in a
// transaction, in order. Migrations are only ever appended to.
func Migrate(ctx context.Context, db *sql.DB, component string, migrations []string) error {
	return (&DB{DB: db}).Migrate(ctx, component, migrations)
}
