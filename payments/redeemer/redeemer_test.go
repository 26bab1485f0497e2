package redeemer

import (
	"context"
	"errors"
	"log/slog"
	"math/big"
	"path/filepath"
	"sync"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/castmesh/castmesh/payments/ticket"
	"github.com/castmesh/castmesh/pkg/store"
)

type fakeBroker struct {
	mu       sync.Mutex
	block    uint64
	used     map[common.Hash]bool
	fail     error
	redeemed []common.Hash
}

func (b *fakeBroker) BlockNumber(context.Context) (uint64, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.block, nil
}

func (b *fakeBroker) Redeem(_ context.Context, w ticket.Winner) (Redemption, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.fail != nil {
		return Redemption{}, b.fail
	}
	h := w.Ticket.Hash()
	if b.used[h] {
		return Redemption{}, errors.New("execution reverted")
	}
	b.used[h] = true
	b.redeemed = append(b.redeemed, h)
	return Redemption{TxHash: common.Hash{1}, Paid: w.Ticket.FaceValue}, nil
}

func (b *fakeBroker) IsUsed(_ context.Context, h common.Hash) (bool, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.used[h], nil
}

func (b *fakeBroker) TicketValidity(context.Context) (uint64, error) { return 100, nil }

func openQueue(t *testing.T, path string) *Queue {
	t.Helper()
	db, err := store.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	q, err := OpenQueue(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	return q
}

func winner(t *testing.T, nonce uint32, expiration uint64) ticket.Winner {
	t.Helper()
	key, _ := crypto.ToECDSA(common.LeftPadBytes([]byte{1, 2, 3}, 32))
	rnd := big.NewInt(int64(nonce) + 77)
	tk := &ticket.Ticket{
		Recipient: common.Address{1}, Sender: crypto.PubkeyToAddress(key.PublicKey), FaceValue: big.NewInt(500),
		WinProb: big.NewInt(1), SenderNonce: nonce, RecipientRandHash: ticket.RandHash(rnd), ExpirationBlock: expiration,
		ChainID: 1337, Broker: common.Address{2},
	}
	sig, err := ticket.Sign(tk, key)
	if err != nil {
		t.Fatal(err)
	}
	return ticket.Winner{Ticket: *tk, Sig: sig, Rand: rnd}
}

func newRedeemer(t *testing.T, q *Queue, b *fakeBroker) *Redeemer {
	t.Helper()
	r, err := New(DefaultConfig(), q, b, slog.New(slog.DiscardHandler), NewMetrics(prometheus.NewRegistry()))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestQueueSurvivesRestartAndRedeemsAfterExpiry(t *testing.T) {
	path := filepath.Join(t.TempDir(), "o.db")
	q := openQueue(t, path)
	a, b := winner(t, 1, 10), winner(t, 2, 20)
	for _, w := range []ticket.Winner{a, b, a} { // a twice: stored once
		if err := q.Add(t.Context(), w); err != nil {
			t.Fatal(err)
		}
	}
	if got := q.Pending(a.Ticket.Sender); got.Int64() != 1000 {
		t.Fatalf("pending %s", got)
	}

	// "Crash": a fresh queue on the same file has both tickets.
	q = openQueue(t, path)
	if got := q.Pending(a.Ticket.Sender); got.Int64() != 1000 {
		t.Fatalf("pending after restart %s", got)
	}
	br := &fakeBroker{block: 10, used: map[common.Hash]bool{}}
	r := newRedeemer(t, q, br)
	if err := r.Round(t.Context()); err != nil || len(br.redeemed) != 0 {
		t.Fatalf("redeemed before the params expired: %v %v", br.redeemed, err)
	}
	br.block = 11
	if err := r.Round(t.Context()); err != nil || len(br.redeemed) != 1 || br.redeemed[0] != a.Ticket.Hash() {
		t.Fatalf("round at 11: %v %v", br.redeemed, err)
	}
	br.block = 25
	if err := r.Round(t.Context()); err != nil || len(br.redeemed) != 2 {
		t.Fatalf("round at 25: %v %v", br.redeemed, err)
	}
	if err := r.Round(t.Context()); err != nil || len(br.redeemed) != 2 {
		t.Fatal("a ticket was redeemed twice")
	}
	st, err := q.Stats(t.Context())
	if err != nil || st.Count[Redeemed] != 2 || st.Value[Redeemed].Int64() != 1000 || q.Pending(a.Ticket.Sender).Sign() != 0 {
		t.Fatalf("stats %+v %v", st, err)
	}
}

func TestFailuresRetryThenSettle(t *testing.T) {
	q := openQueue(t, filepath.Join(t.TempDir(), "o.db"))
	used, stale, flaky := winner(t, 1, 10), winner(t, 2, 10), winner(t, 3, 10)
	for _, w := range []ticket.Winner{used, stale, flaky} {
		if err := q.Add(t.Context(), w); err != nil {
			t.Fatal(err)
		}
	}
	br := &fakeBroker{block: 11, used: map[common.Hash]bool{used.Ticket.Hash(): true}, fail: errors.New("connection refused")}
	r := newRedeemer(t, q, br)
	if err := r.Round(t.Context()); err != nil {
		t.Fatal(err)
	}
	all, _ := q.All(t.Context())
	status := map[common.Hash]Entry{}
	for _, e := range all {
		status[e.Hash] = e
	}
	if status[used.Ticket.Hash()].Status != Used || status[flaky.Ticket.Hash()].Status != Pending ||
		status[flaky.Ticket.Hash()].Tries != 1 {
		t.Fatalf("after a failing round: %+v", status)
	}
	// Past its validity, a ticket that still fails is given up.
	br.block = 10 + 100 + 1
	if err := r.Round(t.Context()); err != nil {
		t.Fatal(err)
	}
	st, _ := q.Stats(t.Context())
	if st.Count[Failed] != 2 || st.Count[Pending] != 0 || q.Pending(used.Ticket.Sender).Sign() != 0 {
		t.Fatalf("stats %+v", st)
	}
}
