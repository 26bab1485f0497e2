package recipient

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"

	"github.com/ethereum/go-ethereum/common"

	"github.com/castmesh/castmesh/pkg/store"
)

// Nonces is the durable record of the ticket nonces a recipient took,
// keyed by the params' rand commitment. It is written before a ticket is
// credited and kept until the ticket can no longer be redeemed (its params'
// expiration block plus the broker's ticket validity), so a restarted
// orchestrator refuses a ticket it already took: in memory only, the same
// winning ticket would be credited again after every restart.
type Nonces struct {
	db *sql.DB

	mu sync.Mutex
	// pruned is the block the last prune ran at.
	pruned uint64
}

// nonceMigrations are the tables, oldest first; only ever appended to.
func nonceMigrations() []string {
	return []string{
		`CREATE TABLE ticket_nonces (
	rand_hash TEXT NOT NULL, nonce INTEGER NOT NULL, expiration_block INTEGER NOT NULL,
	PRIMARY KEY (rand_hash, nonce))`,
		`CREATE INDEX ticket_nonces_expiration ON ticket_nonces (expiration_block)`,
	}
}

// OpenNonces opens the nonce record kept in db.
func OpenNonces(ctx context.Context, db *sql.DB) (*Nonces, error) {
	if err := store.Migrate(ctx, db, "recipient_nonces", nonceMigrations()); err != nil {
		return nil, err
	}
	return &Nonces{db: db}, nil
}

// nonceUse is one payment's nonces to record under one param set.
type nonceUse struct {
	randHash   common.Hash
	expiration uint64
	nonces     []uint32
	// max is how many nonces one param set may carry.
	max int
	// block is the current block and keep the blocks a ticket stays
	// redeemable after its params expire.
	block, keep uint64
}

// use records u's nonces in order, in one transaction, and returns how
// many it recorded before the first already seen (ErrNonceReplay) or the
// first past u.max (ErrTooManyNonces). Any other error records nothing.
func (n *Nonces) use(ctx context.Context, u nonceUse) (int, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if err := n.prune(ctx, u.block, u.keep); err != nil {
		return 0, err
	}
	tx, err := n.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("recipient: nonces: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	var seen int
	h := u.randHash.Hex()
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM ticket_nonces WHERE rand_hash = ?`, h).Scan(&seen); err != nil {
		return 0, fmt.Errorf("recipient: nonces: %w", err)
	}
	took, stop := 0, error(nil)
	for _, nonce := range u.nonces {
		if seen+took >= u.max {
			stop = ErrTooManyNonces
			break
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO ticket_nonces (rand_hash, nonce, expiration_block) VALUES (?, ?, ?)
			ON CONFLICT (rand_hash, nonce) DO NOTHING`, h, nonce, int64(u.expiration)) //nolint:gosec // a block number
		if err != nil {
			return 0, fmt.Errorf("recipient: nonces: %w", err)
		}
		if k, err := res.RowsAffected(); err != nil || k != 1 {
			stop = errors.Join(fmt.Errorf("%w: nonce %d", ErrNonceReplay, nonce), err)
			break
		}
		took++
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("recipient: nonces: %w", err)
	}
	return took, stop
}

// prune forgets the nonces of tickets no longer redeemable at block, at
// most once a block. Callers hold mu.
func (n *Nonces) prune(ctx context.Context, block, keep uint64) error {
	if block <= n.pruned || block <= keep {
		return nil
	}
	cutoff := int64(block - keep) //nolint:gosec // a block number
	if _, err := n.db.ExecContext(ctx, `DELETE FROM ticket_nonces WHERE expiration_block < ?`, cutoff); err != nil {
		return fmt.Errorf("recipient: nonces: %w", err)
	}
	n.pruned = block
	return nil
}

// count is how many nonces are recorded, for tests and status.
func (n *Nonces) count(ctx context.Context) (int, error) {
	var c int
	err := n.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM ticket_nonces`).Scan(&c)
	return c, err
}
