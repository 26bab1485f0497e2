package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// DB is a database and the dialect its SQL is written in. Components write
// portable SQL with ? placeholders and pass it through Q.
type DB struct {
	*sql.DB
	postgres bool
}

// OpenURL opens a PostgreSQL database for a postgres:// or postgresql://
// URL, and otherwise the SQLite file at dsn (created when missing).
func OpenURL(ctx context.Context, dsn string) (*DB, error) {
	if !strings.HasPrefix(dsn, "postgres://") && !strings.HasPrefix(dsn, "postgresql://") {
		db, err := Open(ctx, dsn)
		if err != nil {
			return nil, err
		}
		return &DB{DB: db}, nil
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: open postgres: %w", err)
	}
	return &DB{DB: db, postgres: true}, nil
}

// Postgres reports whether the database is PostgreSQL.
func (d *DB) Postgres() bool { return d.postgres }

// Q rewrites a query's ? placeholders as $1, $2, … for PostgreSQL; SQLite
// takes it as written. A ? inside a quoted literal stays.
func (d *DB) Q(query string) string {
	if !d.postgres || !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	n, quoted := 0, false
	for _, r := range query {
		switch {
		case r == '\'':
			quoted = !quoted
		case r == '?' && !quoted:
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// migrationLock is the PostgreSQL advisory lock key that serialises
// migrations of gateways starting at once on one database.
const migrationLock = 0x63617374 // "cast"

// Migrate applies component's migrations that have not run yet, each in a
// transaction, in order. Migrations are only ever appended to. Several
// processes may migrate one database at once: each step runs under a lock
// (SQLite's write lock, taken at BEGIN; a PostgreSQL advisory lock) and
// rereads the version first.
func (d *DB) Migrate(ctx context.Context, component string, migrations []string) error {
	for {
		done, err := d.step(ctx, component, migrations)
		if err != nil {
			return err
		}
		if done {
			return nil
		}
	}
}

// step applies the next migration, or reports that none is left.
func (d *DB) step(ctx context.Context, component string, migrations []string) (done bool, err error) {
	tx, err := d.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("store: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	if d.postgres {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, migrationLock); err != nil {
			return false, fmt.Errorf("store: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		component TEXT PRIMARY KEY, version INTEGER NOT NULL)`); err != nil {
		return false, fmt.Errorf("store: %w", err)
	}
	var version int
	err = tx.QueryRowContext(ctx, d.Q(`SELECT version FROM schema_migrations WHERE component = ?`), component).Scan(&version)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return false, fmt.Errorf("store: %w", err)
	}
	if version >= len(migrations) {
		return true, tx.Commit()
	}
	if _, err := tx.ExecContext(ctx, migrations[version]); err != nil {
		return false, fmt.Errorf("store: %s migration %d: %w", component, version+1, err)
	}
	if _, err := tx.ExecContext(ctx, d.Q(`INSERT INTO schema_migrations (component, version) VALUES (?, ?)
		ON CONFLICT(component) DO UPDATE SET version = excluded.version`), component, version+1); err != nil {
		return false, fmt.Errorf("store: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("store: %s migration %d: %w", component, version+1, err)
	}
	return false, nil
}
