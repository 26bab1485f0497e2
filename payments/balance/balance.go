// Package balance keeps the credit each side of a payment relationship
// holds per (peer, session): tickets received or sent credit their
// expected value, work debits price × units. The price is fixed per session
// at the first payment (Livepeer's users lost streams to mid-stream price
// swaps, livepeer.md §9.1); later payments must name the same price.
//
// Every change is written through to SQLite before it returns, so a
// restarted node has the same balances: Livepeer keeps them in memory and
// its gateways and orchestrators disagree after restarts (§9.4).
//
// Work in flight holds part of the credit (Hold): several segments of one
// stream are paid and worked on at once, and each must be covered by credit
// the others have not claimed, or the two sides see different balances
// depending on the order messages cross (Livepeer's StageUpdate does the
// same on its gateway). Holds live in memory only: after a restart nothing
// is in flight.
package balance

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/big"
	"sync"
	"time"

	"github.com/castmesh/castmesh/pkg/store"
)

// Errors.
var (
	// ErrPriceChanged means a payment names another price than the one
	// the session was fixed at.
	ErrPriceChanged = errors.New("price differs from the session's fixed price")
	// ErrNoSession means the session has no balance yet.
	ErrNoSession = errors.New("no such payment session")
)

// Key names one balance: the other side's address and the session id.
type Key struct {
	Peer    string
	Session string
}

// Balance is one session's account.
type Balance struct {
	// Price is the session's fixed price in wei per unit; nil until fixed.
	Price *big.Rat
	// Credit is credited minus debited, in wei; it may dip below zero by
	// less than one ticket's EV.
	Credit *big.Rat
	// Credited and Debited are the totals, in wei.
	Credited *big.Rat
	Debited  *big.Rat
	// Held is credit claimed by work in flight, not yet settled.
	Held    *big.Rat
	Updated time.Time
}

// Available is the credit no work in flight has claimed.
func (b Balance) Available() *big.Rat {
	a := new(big.Rat).Set(b.Credit)
	if b.Held != nil {
		a.Sub(a, b.Held)
	}
	return a
}

func newBalance() *Balance {
	return &Balance{Credit: new(big.Rat), Credited: new(big.Rat), Debited: new(big.Rat), Held: new(big.Rat)}
}

func (b *Balance) clone() Balance {
	c := Balance{
		Credit: new(big.Rat).Set(b.Credit), Credited: new(big.Rat).Set(b.Credited),
		Debited: new(big.Rat).Set(b.Debited), Held: new(big.Rat).Set(b.Held), Updated: b.Updated,
	}
	if b.Price != nil {
		c.Price = new(big.Rat).Set(b.Price)
	}
	return c
}

// Store holds the balances of one node.
type Store struct {
	db  *sql.DB
	now func() time.Time

	mu       sync.Mutex
	balances map[Key]*Balance
	// owed is, per peer, the work its sessions were given beyond their
	// credit: the sum over its sessions of max(0, held − credit). Kept up
	// to date by every change, so Cover checks a peer in O(1).
	owed map[string]*big.Rat
}

// migrations are the tables, oldest first; only ever appended to.
func migrations() []string {
	return []string{`CREATE TABLE balances (
	peer TEXT NOT NULL, session TEXT NOT NULL,
	price TEXT, credit TEXT NOT NULL, credited TEXT NOT NULL, debited TEXT NOT NULL,
	updated INTEGER NOT NULL,
	PRIMARY KEY (peer, session))`}
}

// Open loads the balances kept in db.
func Open(ctx context.Context, db *sql.DB) (*Store, error) {
	if err := store.Migrate(ctx, db, "balance", migrations()); err != nil {
		return nil, err
	}
	s := &Store{db: db, now: time.Now, balances: map[Key]*Balance{}, owed: map[string]*big.Rat{}}
	if err := s.load(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *Store) load(ctx context.Context) error {
	rows, err := s.db.QueryContext(ctx, `SELECT peer, session, price, credit, credited, debited, updated FROM balances`)
	if err != nil {
		return fmt.Errorf("balance: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k Key
		var price sql.NullString
		var credit, credited, debited string
		var updated int64
		if err := rows.Scan(&k.Peer, &k.Session, &price, &credit, &credited, &debited, &updated); err != nil {
			return fmt.Errorf("balance: %w", err)
		}
		b := newBalance()
		b.Updated = time.Unix(updated, 0)
		if err := parse(b.Credit, credit, b.Credited, credited, b.Debited, debited); err != nil {
			return err
		}
		if price.Valid {
			b.Price = new(big.Rat)
			if err := parse(b.Price, price.String); err != nil {
				return err
			}
		}
		s.balances[k] = b
		s.account(k, nil, b)
	}
	return rows.Err()
}

// parse sets pairs of (target, text).
func parse(pairs ...any) error {
	for i := 0; i < len(pairs); i += 2 {
		r, text := pairs[i].(*big.Rat), pairs[i+1].(string)
		if _, ok := r.SetString(text); !ok {
			return fmt.Errorf("balance: stored value %q is not a rational", text)
		}
	}
	return nil
}

// Get returns a copy of a session's balance.
func (s *Store) Get(k Key) (Balance, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.balances[k]
	if !ok {
		return Balance{}, false
	}
	return b.clone(), true
}

// update changes one balance under the lock and writes it through.
func (s *Store) update(ctx context.Context, k Key, change func(b *Balance) error) (Balance, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.balances[k]
	next := newBalance()
	if ok {
		c := b.clone()
		next = &c
	}
	if err := change(next); err != nil {
		return Balance{}, err
	}
	next.Updated = s.now()
	if err := s.write(ctx, k, next); err != nil {
		return Balance{}, err
	}
	s.account(k, b, next)
	s.balances[k] = next
	return next.clone(), nil
}

func (s *Store) write(ctx context.Context, k Key, b *Balance) error {
	var price any
	if b.Price != nil {
		price = b.Price.RatString()
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO balances (peer, session, price, credit, credited, debited, updated)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(peer, session) DO UPDATE SET price = excluded.price, credit = excluded.credit,
			credited = excluded.credited, debited = excluded.debited, updated = excluded.updated`,
		k.Peer, k.Session, price, b.Credit.RatString(), b.Credited.RatString(), b.Debited.RatString(), b.Updated.Unix())
	if err != nil {
		return fmt.Errorf("balance: %w", err)
	}
	return nil
}

// FixPrice fixes a session's price at price when it has none, and returns
// the fixed price. A later call with another price returns ErrPriceChanged
// and the fixed price.
func (s *Store) FixPrice(ctx context.Context, k Key, price *big.Rat) (*big.Rat, error) {
	var fixed *big.Rat
	_, err := s.update(ctx, k, func(b *Balance) error {
		if b.Price == nil {
			b.Price = new(big.Rat).Set(price)
		}
		fixed = new(big.Rat).Set(b.Price)
		if b.Price.Cmp(price) != 0 {
			return ErrPriceChanged
		}
		return nil
	})
	return fixed, err
}

// Credit adds amount (wei) to a session.
func (s *Store) Credit(ctx context.Context, k Key, amount *big.Rat) (Balance, error) {
	return s.update(ctx, k, func(b *Balance) error {
		b.Credit.Add(b.Credit, amount)
		b.Credited.Add(b.Credited, amount)
		return nil
	})
}

// Uncredit takes back a credit that turned out not to be owed (a payment
// the other side refused).
func (s *Store) Uncredit(ctx context.Context, k Key, amount *big.Rat) (Balance, error) {
	return s.update(ctx, k, func(b *Balance) error {
		b.Credit.Sub(b.Credit, amount)
		b.Credited.Sub(b.Credited, amount)
		return nil
	})
}

// Debit takes amount (wei) from a session.
func (s *Store) Debit(ctx context.Context, k Key, amount *big.Rat) (Balance, error) {
	return s.update(ctx, k, func(b *Balance) error {
		b.Credit.Sub(b.Credit, amount)
		b.Debited.Add(b.Debited, amount)
		return nil
	})
}

// Hold claims amount of a session's credit for work in flight. It is kept
// in memory only.
func (s *Store) Hold(k Key, amount *big.Rat) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.balances[k]
	if !ok {
		b = newBalance()
		b.Updated = s.now()
		s.balances[k] = b
	}
	before := b.clone()
	b.Held.Add(b.Held, amount)
	s.account(k, &before, b)
}

// Release gives back a hold whose work did not happen.
func (s *Store) Release(k Key, held *big.Rat) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if b, ok := s.balances[k]; ok {
		before := b.clone()
		b.Held.Sub(b.Held, held)
		s.account(k, &before, b)
	}
}

// Settle ends a hold and debits what the work cost.
func (s *Store) Settle(ctx context.Context, k Key, held, cost *big.Rat) (Balance, error) {
	return s.update(ctx, k, func(b *Balance) error {
		b.Held.Sub(b.Held, held)
		b.Credit.Sub(b.Credit, cost)
		b.Debited.Add(b.Debited, cost)
		return nil
	})
}

// Sessions lists the balances of peer ("" for every peer).
func (s *Store) Sessions(peer string) map[Key]Balance {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[Key]Balance{}
	for k, b := range s.balances {
		if peer == "" || k.Peer == peer {
			out[k] = b.clone()
		}
	}
	return out
}

// Prune forgets sessions not updated for maxAge.
func (s *Store) Prune(ctx context.Context, maxAge time.Duration) error {
	cutoff := s.now().Add(-maxAge)
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.db.ExecContext(ctx, `DELETE FROM balances WHERE updated < ?`, cutoff.Unix()); err != nil {
		return fmt.Errorf("balance: %w", err)
	}
	for k, b := range s.balances {
		if b.Updated.Before(cutoff) {
			s.account(k, b, nil)
			delete(s.balances, k)
		}
	}
	return nil
}
