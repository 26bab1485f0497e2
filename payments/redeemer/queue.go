package redeemer

import (
	"context"
	"database/sql"
	"fmt"
	"math/big"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/castmesh/castmesh/payments/ticket"
	"github.com/castmesh/castmesh/pkg/store"
)

// Status is where a winning ticket is.
type Status string

// Statuses.
const (
	Pending  Status = "pending"
	Redeemed Status = "redeemed"
	// Used means the ticket was already redeemed (by this node before a
	// crash, or by anyone: redemption pays the recipient whoever sends it).
	Used Status = "used"
	// Failed means the ticket can no longer be redeemed (expired, the
	// sender unlocked, no funds left).
	Failed Status = "failed"
)

// Entry is one queued winning ticket.
type Entry struct {
	Hash    common.Hash
	Winner  ticket.Winner
	Status  Status
	Tries   int
	TxHash  common.Hash
	Paid    *big.Int
	Error   string
	Created time.Time
}

// Queue keeps winning tickets durably until they are redeemed.
type Queue struct {
	db *sql.DB

	mu      sync.Mutex
	pending map[common.Address]*big.Int // face value awaiting redemption, per sender
}

// migrations are the tables, oldest first; only ever appended to.
func migrations() []string {
	return []string{
		`CREATE TABLE winning_tickets (
	hash TEXT PRIMARY KEY,
	recipient TEXT NOT NULL, sender TEXT NOT NULL, face_value TEXT NOT NULL, win_prob TEXT NOT NULL,
	nonce INTEGER NOT NULL, rand_hash TEXT NOT NULL, expiration_block INTEGER NOT NULL,
	chain_id INTEGER NOT NULL, broker TEXT NOT NULL, sig BLOB NOT NULL, rand TEXT NOT NULL,
	status TEXT NOT NULL, tries INTEGER NOT NULL DEFAULT 0, tx_hash TEXT, paid TEXT, error TEXT,
	created INTEGER NOT NULL)`,
		`CREATE INDEX winning_tickets_status ON winning_tickets (status, expiration_block)`,
	}
}

// OpenQueue opens the queue kept in db.
func OpenQueue(ctx context.Context, db *sql.DB) (*Queue, error) {
	if err := store.Migrate(ctx, db, "redeemer", migrations()); err != nil {
		return nil, err
	}
	q := &Queue{db: db, pending: map[common.Address]*big.Int{}}
	entries, err := q.list(ctx, `WHERE status = ?`, Pending)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		q.addPending(e.Winner.Ticket.Sender, e.Winner.Ticket.FaceValue)
	}
	return q, nil
}

func (q *Queue) addPending(sender common.Address, v *big.Int) {
	q.mu.Lock()
	defer q.mu.Unlock()
	p, ok := q.pending[sender]
	if !ok {
		p = new(big.Int)
		q.pending[sender] = p
	}
	p.Add(p, v)
}

// Pending is the face value of sender's winners not yet redeemed.
func (q *Queue) Pending(sender common.Address) *big.Int {
	q.mu.Lock()
	defer q.mu.Unlock()
	if p, ok := q.pending[sender]; ok {
		return new(big.Int).Set(p)
	}
	return new(big.Int)
}

// Add stores a winner; the same ticket twice is stored once.
func (q *Queue) Add(ctx context.Context, w ticket.Winner) error {
	t := &w.Ticket
	res, err := q.db.ExecContext(ctx, `INSERT OR IGNORE INTO winning_tickets
		(hash, recipient, sender, face_value, win_prob, nonce, rand_hash, expiration_block, chain_id, broker, sig, rand, status, created)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		t.Hash().Hex(), t.Recipient.Hex(), t.Sender.Hex(), t.FaceValue.String(), t.WinProb.String(), t.SenderNonce,
		t.RecipientRandHash.Hex(), t.ExpirationBlock, t.ChainID, t.Broker.Hex(), w.Sig, w.Rand.String(), Pending,
		time.Now().Unix())
	if err != nil {
		return fmt.Errorf("redeemer: queue: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		q.addPending(t.Sender, t.FaceValue)
	}
	return nil
}

// Due returns the pending tickets whose params expired before block:
// redeeming reveals the recipient's random number, so it waits until no
// new ticket can use it.
func (q *Queue) Due(ctx context.Context, block uint64) ([]Entry, error) {
	return q.list(ctx, `WHERE status = ? AND expiration_block < ? ORDER BY expiration_block, created`, Pending, block)
}

// All returns every entry, oldest first.
func (q *Queue) All(ctx context.Context) ([]Entry, error) {
	return q.list(ctx, `ORDER BY created, hash`)
}

// finish records a ticket's final status.
func (q *Queue) finish(ctx context.Context, e Entry, status Status, tx common.Hash, paid *big.Int, why string) error {
	var paidText any
	if paid != nil {
		paidText = paid.String()
	}
	res, err := q.db.ExecContext(ctx, `UPDATE winning_tickets SET status = ?, tx_hash = ?, paid = ?, error = ?
		WHERE hash = ? AND status = ?`, status, tx.Hex(), paidText, why, e.Hash.Hex(), Pending)
	if err != nil {
		return fmt.Errorf("redeemer: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		q.addPending(e.Winner.Ticket.Sender, new(big.Int).Neg(e.Winner.Ticket.FaceValue))
	}
	return nil
}

// retry counts a failed attempt and records why.
func (q *Queue) retry(ctx context.Context, e Entry, why string) error {
	_, err := q.db.ExecContext(ctx, `UPDATE winning_tickets SET tries = tries + 1, error = ? WHERE hash = ?`, why, e.Hash.Hex())
	if err != nil {
		return fmt.Errorf("redeemer: %w", err)
	}
	return nil
}
