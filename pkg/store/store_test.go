package store

import (
	"path/filepath"
	"testing"

	"golang.org/x/sync/errgroup"

	"github.com/castmesh/castmesh/test/harness"
)

func TestMigrateOnceAndInOrder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "node.db")
	db, err := Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	v1 := []string{`CREATE TABLE a (x INTEGER)`}
	if err := Migrate(t.Context(), db, "a", v1); err != nil {
		t.Fatal(err)
	}
	if err := Migrate(t.Context(), db, "a", append(v1, `ALTER TABLE a ADD COLUMN y TEXT`)); err != nil {
		t.Fatal(err)
	}
	if err := Migrate(t.Context(), db, "b", []string{`CREATE TABLE b (x INTEGER)`}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(t.Context(), `INSERT INTO a (x, y) VALUES (1, 'z')`); err != nil {
		t.Fatal(err)
	}
	db.Close()

	// Reopened, nothing runs twice and the data is there.
	db, err = Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := Migrate(t.Context(), db, "a", append(v1, `ALTER TABLE a ADD COLUMN y TEXT`)); err != nil {
		t.Fatalf("re-applied a migration: %v", err)
	}
	var y string
	if err := db.QueryRowContext(t.Context(), `SELECT y FROM a WHERE x = 1`).Scan(&y); err != nil || y != "z" {
		t.Fatalf("y %q err %v", y, err)
	}
	if err := Migrate(t.Context(), db, "c", []string{`NOT SQL`}); err == nil {
		t.Fatal("a bad migration passed")
	}
}

func TestQ(t *testing.T) {
	pg := &DB{postgres: true}
	got := pg.Q(`SELECT a FROM t WHERE b = ? AND c = '?' AND d IN (?, ?)`)
	if want := `SELECT a FROM t WHERE b = $1 AND c = '?' AND d IN ($2, $3)`; got != want {
		t.Fatalf("got %s", got)
	}
	if lite := (&DB{}).Q(`b = ?`); lite != `b = ?` {
		t.Fatalf("sqlite got %s", lite)
	}
}

// TestMigrateTogether runs migrations from several connections at once,
// as gateways starting together on one database do, on SQLite and on a
// real PostgreSQL server.
func TestMigrateTogether(t *testing.T) {
	urls := map[string]string{"sqlite": filepath.Join(t.TempDir(), "shared.db")}
	urls["postgres"] = harness.StartPostgres(t).Database(t)
	migrations := []string{
		`CREATE TABLE jobs (id TEXT PRIMARY KEY, n INTEGER NOT NULL)`,
		`ALTER TABLE jobs ADD COLUMN note TEXT`,
		`CREATE INDEX jobs_n ON jobs (n)`,
	}
	for name, url := range urls {
		t.Run(name, func(t *testing.T) {
			var g errgroup.Group
			for range 4 {
				g.Go(func() error {
					db, err := OpenURL(t.Context(), url)
					if err != nil {
						return err
					}
					defer db.Close()
					return db.Migrate(t.Context(), "jobs", migrations)
				})
			}
			if err := g.Wait(); err != nil {
				t.Fatal(err)
			}
			db, err := OpenURL(t.Context(), url)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if db.Postgres() != (name == "postgres") {
				t.Fatalf("postgres %v", db.Postgres())
			}
			if _, err := db.ExecContext(t.Context(), db.Q(`INSERT INTO jobs (id, n, note) VALUES (?, ?, ?)`), "a", 1, "x"); err != nil {
				t.Fatal(err)
			}
			var version int
			if err := db.QueryRowContext(t.Context(), db.Q(`SELECT version FROM schema_migrations WHERE component = ?`), "jobs").Scan(&version); err != nil || version != 3 {
				t.Fatalf("version %d, %v", version, err)
			}
		})
	}
}
