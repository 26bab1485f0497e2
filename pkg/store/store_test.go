package store

import (
	"path/filepath"
	"testing"
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
