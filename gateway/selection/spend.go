package selection

import (
	"context"
	"math/big"
	"sync"
)

// Spend adds up what the segments sent with one context cost: the price
// per pixel times the pixels delivered, in wei, as each segment settles.
// A file job keeps one per segment to report what it paid.
type Spend struct {
	mu  sync.Mutex
	wei big.Rat
}

type spendKey struct{}

// WithSpend returns a context whose segments add their cost to the Spend.
func WithSpend(ctx context.Context) (context.Context, *Spend) {
	s := &Spend{}
	return context.WithValue(ctx, spendKey{}, s), s
}

// Wei is the cost so far.
func (s *Spend) Wei() *big.Rat {
	s.mu.Lock()
	defer s.mu.Unlock()
	return new(big.Rat).Set(&s.wei)
}

func (s *Spend) add(cost *big.Rat) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.wei.Add(&s.wei, cost)
}

// spendOf is the Spend a context carries; nil when none.
func spendOf(ctx context.Context) *Spend {
	s, _ := ctx.Value(spendKey{}).(*Spend)
	return s
}
