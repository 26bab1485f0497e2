package recipient

import (
	"errors"
	"log/slog"
	"math/big"
	"path/filepath"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/castmesh/castmesh/payments/balance"
	"github.com/castmesh/castmesh/payments/redeemer"
	"github.com/castmesh/castmesh/pkg/store"
)

// restartable is a recipient on a database file that a test can reopen,
// as an orchestrator restarting does.
type restartable struct {
	path string
	e    *env
}

// open opens the recipient and its stores on the file, with the real
// winner queue.
func (x *restartable) open(t *testing.T) (*Recipient, *balance.Store, *redeemer.Queue) {
	t.Helper()
	db, err := store.Open(t.Context(), x.path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	balances, err := balance.Open(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	queue, err := redeemer.OpenQueue(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	nonces, err := OpenNonces(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	r, err := New(x.e.r.cfg, x.e.r.id, x.e.chain, balances, queue, nonces, slog.New(slog.DiscardHandler),
		NewMetrics(prometheus.NewRegistry()))
	if err != nil {
		t.Fatal(err)
	}
	return r, balances, queue
}

// Issue #12 finding 3: nonces lived in memory only, so a restarted
// orchestrator credited the same winning ticket again. Now they are
// recorded in the node's database before crediting.
func TestReplayAfterRestartRefused(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.MaxFaceValue = c.TicketEV }) // every ticket wins
	e.r.id.TicketValidity = 50
	x := &restartable{path: filepath.Join(t.TempDir(), "orchestrator.db"), e: e}
	r, _, _ := x.open(t)
	p, err := r.Params(t.Context(), e.sender)
	if err != nil {
		t.Fatal(err)
	}
	pay := e.pay(t, p, 0, 3)
	credited, err := r.Receive(t.Context(), "s", pay, e.price)
	if err != nil || credited.Cmp(new(big.Rat).Mul(p.EV(), big.NewRat(3, 1))) != 0 {
		t.Fatalf("first payment: %v %v", credited, err)
	}

	// Restart: everything in memory is gone.
	r, balances, queue := x.open(t)
	before, _ := balances.Get(Key(e.sender, "s"))
	for _, session := range []string{"s", "another session"} {
		credited, err = r.Receive(t.Context(), session, pay, e.price)
		if !errors.Is(err, ErrNonceReplay) || credited.Sign() != 0 {
			t.Fatalf("replayed to %q after a restart: credited %v, %v", session, credited, err)
		}
	}
	if after, _ := balances.Get(Key(e.sender, "s")); after.Credit.Cmp(before.Credit) != 0 {
		t.Fatalf("credit %s after the replay, was %s", after.Credit.RatString(), before.Credit.RatString())
	}
	// The winners are queued once, however often they come back.
	all, err := queue.All(t.Context())
	if err != nil || len(all) != 3 {
		t.Fatalf("%d winners queued for 3 tickets: %v", len(all), err)
	}
	if got, want := queue.Pending(e.sender), new(big.Int).Mul(p.FaceValue, big.NewInt(3)); got.Cmp(want) != 0 {
		t.Fatalf("pending %s, want %s", got, want)
	}
}

// TestNoncesKeptUntilUnredeemable: a nonce is forgotten only once its
// ticket can no longer be redeemed (expiration block + ticket validity),
// and the param set's nonce cap holds across payments.
func TestNoncesKeptUntilUnredeemable(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.MaxNonces = 4 })
	e.r.id.TicketValidity = 50
	p := e.params(t) // expires at 120
	if _, err := e.r.Receive(t.Context(), "s", e.pay(t, p, 0, 3), e.price); err != nil {
		t.Fatal(err)
	}
	credited, err := e.r.Receive(t.Context(), "s", e.pay(t, p, 3, 2), e.price)
	if !errors.Is(err, ErrTooManyNonces) || credited.Cmp(p.EV()) != 0 {
		t.Fatalf("past max_nonces: credited %v, %v", credited, err)
	}
	for _, c := range []struct {
		name  string
		block uint64
		want  int
	}{
		{"params expired, ticket redeemable", 150, 4},
		{"last redeemable block", 170, 4},
		{"no longer redeemable", 171, 0},
	} {
		e.chain.mu.Lock()
		e.chain.block = c.block
		e.chain.mu.Unlock()
		// Any payment prunes; this one's own params are fresh.
		if _, err := e.r.Receive(t.Context(), "s", e.pay(t, e.params(t), 0, 1), e.price); err != nil {
			t.Fatal(err)
		}
		n, err := e.r.nonces.count(t.Context())
		if err != nil || n-1 != c.want {
			t.Fatalf("%s (block %d): %d of the old nonces kept, want %d (%v)", c.name, c.block, n-1, c.want, err)
		}
		if _, err := e.r.nonces.db.ExecContext(t.Context(), `DELETE FROM ticket_nonces WHERE expiration_block > 120`); err != nil {
			t.Fatal(err)
		}
	}
}
