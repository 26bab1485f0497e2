// Package store opens the SQLite database a node keeps its durable state in
// (payment balances, the winning-ticket queue) and migrates each
// component's tables. It uses modernc.org/sqlite, a pure-Go SQLite, so a
// node needs no C library or server.
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

	_ "modernc.org/sqlite" // registers the "sqlite" driver
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
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		component TEXT PRIMARY KEY, version INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	var done int
	err := db.QueryRowContext(ctx, `SELECT version FROM schema_migrations WHERE component = ?`, component).Scan(&done)
	if err != nil && err != sql.ErrNoRows { //nolint:errorlint // database/sql returns ErrNoRows unwrapped
		return fmt.Errorf("store: %w", err)
	}
	for v := done; v < len(migrations); v++ {
		if err := apply(ctx, db, component, v+1, migrations[v]); err != nil {
			return fmt.Errorf("store: %s migration %d: %w", component, v+1, err)
		}
	}
	return nil
}

func apply(ctx context.Context, db *sql.DB, component string, version int, stmt string) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	if _, err := tx.ExecContext(ctx, stmt); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (component, version) VALUES (?, ?)
		ON CONFLICT(component) DO UPDATE SET version = excluded.version`, component, version); err != nil {
		return err
	}
	return tx.Commit()
}
