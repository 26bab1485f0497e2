// Package balancetest gives tests a balance store on a fresh SQLite file
// in the test's temporary directory.
package balancetest

import (
	"path/filepath"
	"testing"

	"github.com/castmesh/castmesh/payments/balance"
	"github.com/castmesh/castmesh/pkg/store"
)

// Open opens a balance store that lives as long as tb.
func Open(tb testing.TB) *balance.Store {
	tb.Helper()
	db, err := store.Open(tb.Context(), filepath.Join(tb.TempDir(), "balances.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	s, err := balance.Open(tb.Context(), db)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}
