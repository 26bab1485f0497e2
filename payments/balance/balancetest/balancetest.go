// Package balancetest gives tests a balance store on a fresh SQLite file
// in the test's temporary directory.
package balancetest

import (
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/castmesh/castmesh/payments/balance"
	"github.com/castmesh/castmesh/pkg/store"
)

// Open opens a balance store that lives as long as tb.
func Open(tb testing.TB) *balance.Store {
	tb.Helper()
	s, err := balance.Open(tb.Context(), DB(tb))
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// DB opens a fresh SQLite database that lives as long as tb, for the
// other payment stores (a recipient's nonces) a test needs.
func DB(tb testing.TB) *sql.DB {
	tb.Helper()
	db, err := store.Open(tb.Context(), filepath.Join(tb.TempDir(), "node.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}
