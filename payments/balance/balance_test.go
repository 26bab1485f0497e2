package balance

import (
	"errors"
	"math/big"
	"path/filepath"
	"testing"
	"time"

	"github.com/castmesh/castmesh/pkg/store"
)

func open(t *testing.T, path string) *Store {
	t.Helper()
	db, err := store.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	s, err := Open(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestAccountingSurvivesRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "node.db")
	s := open(t, path)
	k := Key{Peer: "0xgateway", Session: "s1"}
	price := big.NewRat(1, 1000) // wei per pixel
	if fixed, err := s.FixPrice(t.Context(), k, price); err != nil || fixed.Cmp(price) != 0 {
		t.Fatalf("fix: %v %v", fixed, err)
	}
	if _, err := s.Credit(t.Context(), k, big.NewRat(5000, 3)); err != nil {
		t.Fatal(err)
	}
	b, err := s.Debit(t.Context(), k, new(big.Rat).Mul(price, big.NewRat(1_000_000, 1)))
	if err != nil {
		t.Fatal(err)
	}
	want := new(big.Rat).Sub(big.NewRat(5000, 3), big.NewRat(1000, 1))
	if b.Credit.Cmp(want) != 0 {
		t.Fatalf("credit %s, want %s", b.Credit.RatString(), want.RatString())
	}
	// A raised price is refused and the session keeps its own.
	if fixed, err := s.FixPrice(t.Context(), k, big.NewRat(2, 1000)); !errors.Is(err, ErrPriceChanged) || fixed.Cmp(price) != 0 {
		t.Fatalf("price change: %v %v", fixed, err)
	}

	again := open(t, path)
	got, ok := again.Get(k)
	if !ok || got.Credit.Cmp(want) != 0 || got.Price.Cmp(price) != 0 || got.Credited.Cmp(big.NewRat(5000, 3)) != 0 ||
		got.Debited.Cmp(big.NewRat(1000, 1)) != 0 {
		t.Fatalf("after restart: %+v", got)
	}
}

func TestSessionsAreApart(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "node.db"))
	a, b := Key{"p", "a"}, Key{"p", "b"}
	if _, err := s.Credit(t.Context(), a, big.NewRat(10, 1)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.FixPrice(t.Context(), b, big.NewRat(3, 1)); err != nil {
		t.Fatal(err)
	}
	if bb, _ := s.Get(b); bb.Credit.Sign() != 0 {
		t.Fatal("credit leaked between sessions")
	}
	if n := len(s.Sessions("p")); n != 2 {
		t.Fatalf("%d sessions", n)
	}
	s.now = func() time.Time { return time.Now().Add(48 * time.Hour) }
	if err := s.Prune(t.Context(), 24*time.Hour); err != nil {
		t.Fatal(err)
	}
	if _, ok := s.Get(a); ok {
		t.Fatal("stale session kept")
	}
}

// TestOwedSurvivesRestart: what a peer's sessions owe is the sum of their
// debts and work in flight, the debts are there after a restart, and only
// a session that was credited may owe at all.
func TestOwedSurvivesRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "node.db")
	s := open(t, path)
	a, b, c := Key{Peer: "p", Session: "a"}, Key{Peer: "p", Session: "b"}, Key{Peer: "p", Session: "c"}
	slack := big.NewRat(10, 1)
	if err := s.Cover(c, big.NewRat(1, 1), slack); !errors.Is(err, ErrNotCovered) {
		t.Fatalf("a session never credited got work on the slack: %v", err)
	}
	for _, k := range []Key{a, b} {
		if _, err := s.Credit(t.Context(), k, big.NewRat(1, 1)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Cover(a, big.NewRat(7, 1), slack); err != nil { // owes 6
		t.Fatal(err)
	}
	if err := s.Cover(b, big.NewRat(6, 1), slack); !errors.Is(err, ErrNotCovered) { // would owe 11
		t.Fatalf("11 owed past a slack of 10: %v", err)
	}
	if err := s.Cover(b, big.NewRat(5, 1), slack); err != nil { // owes 10
		t.Fatal(err)
	}
	if _, err := s.Settle(t.Context(), a, big.NewRat(7, 1), big.NewRat(8, 1)); err != nil { // credit −7
		t.Fatal(err)
	}
	s.Release(b, big.NewRat(5, 1))
	if o := s.Owed("p"); o.Cmp(big.NewRat(7, 1)) != 0 {
		t.Fatalf("owed %s, want 7", o.RatString())
	}
	again := open(t, path)
	if o := again.Owed("p"); o.Cmp(big.NewRat(7, 1)) != 0 {
		t.Fatalf("owed %s after a restart, want 7", o.RatString())
	}
	if err := again.Cover(b, big.NewRat(5, 1), slack); !errors.Is(err, ErrNotCovered) { // 7 + 4
		t.Fatalf("7 owed plus 4: %v", err)
	}
	// Paying the debt off frees the slack.
	if _, err := again.Credit(t.Context(), a, big.NewRat(7, 1)); err != nil {
		t.Fatal(err)
	}
	if err := again.Cover(b, big.NewRat(11, 1), slack); err != nil || again.Owed("p").Cmp(slack) != 0 {
		t.Fatalf("after paying: %v, owed %s", err, again.Owed("p").RatString())
	}
}
