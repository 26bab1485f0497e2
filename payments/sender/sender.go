package sender

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"sync"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/castmesh/castmesh/payments/balance"
	"github.com/castmesh/castmesh/payments/ticket"
)

// Funds is the gateway's money on the broker.
type Funds struct {
	Deposit *big.Int
	// Reserve is the reserve for the recipient asked about.
	Reserve       *big.Int
	WithdrawBlock uint64
}

// Chain is what the sender reads from the chain.
type Chain interface {
	BlockNumber(ctx context.Context) (uint64, error)
	Funds(ctx context.Context, sender, recipient common.Address) (Funds, error)
}

// Terms are the broker's fixed parameters the sender checks params against.
type Terms struct {
	ChainID uint64
	Broker  common.Address
	// UnlockPeriod and TicketValidity are in blocks: params must expire
	// early enough that every ticket stays redeemable while the gateway's
	// funds are still locked.
	UnlockPeriod   uint64
	TicketValidity uint64
}

// Sender writes the gateway's tickets.
type Sender struct {
	cfg      Config
	key      *ecdsa.PrivateKey
	addr     common.Address
	terms    Terms
	chain    Chain
	balances *balance.Store

	mu     sync.Mutex
	nonces map[common.Hash]*nonces
}

// nonces counts the tickets written under one param set.
type nonces struct {
	next       uint32
	expiration uint64
}

// New makes a sender signing with key.
func New(cfg Config, key *ecdsa.PrivateKey, terms Terms, chain Chain, balances *balance.Store) (*Sender, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if terms.UnlockPeriod <= terms.TicketValidity {
		return nil, fmt.Errorf("sender: the broker's unlock period (%d) must exceed its ticket validity (%d)", terms.UnlockPeriod, terms.TicketValidity)
	}
	return &Sender{
		cfg: cfg, key: key, addr: crypto.PubkeyToAddress(key.PublicKey), terms: terms, chain: chain,
		balances: balances, nonces: map[common.Hash]*nonces{},
	}, nil
}

// Address is the gateway's address.
func (s *Sender) Address() common.Address { return s.addr }

// Ready reports whether the gateway can pay at all: a deposit, not unlocking.
func (s *Sender) Ready(ctx context.Context) error {
	f, err := s.chain.Funds(ctx, s.addr, common.Address{})
	if err != nil {
		return fmt.Errorf("sender: %w", err)
	}
	switch {
	case f.WithdrawBlock != 0:
		return ErrUnlocking
	case f.Deposit.Sign() == 0:
		return ErrNoDeposit
	}
	return nil
}

// Request is one piece of work to pay for.
type Request struct {
	// Orchestrator is the recipient's address; with Session it keys the
	// balance.
	Orchestrator common.Address
	Session      string
	Params       *ticket.Params
	// Price is the orchestrator's price (wei per unit) and MaxPrice the
	// gateway's limit (nil: none).
	Price    *big.Rat
	MaxPrice *big.Rat
	// Fee is the estimated cost of the work in wei.
	Fee *big.Rat
}

// Key is the balance of an orchestrator session.
func Key(orchestrator common.Address, session string) balance.Key {
	return balance.Key{Peer: orchestrator.Hex(), Session: session}
}

// Pay returns the payment for req, crediting the session with its tickets'
// EV and holding req.Fee of its credit until Settle or Release. The
// tickets needed are counted against the session's free credit and the
// hold taken in one step on the balance store, so requests in flight at
// once (a stream sends several segments together) never count the same
// credit twice.
func (s *Sender) Pay(ctx context.Context, req Request) (*ticket.Payment, error) {
	key := Key(req.Orchestrator, req.Session)
	if req.Fee == nil || req.Fee.Sign() < 0 || req.Price == nil || req.Price.Sign() < 0 {
		return nil, ErrBadPrice
	}
	price, err := s.price(ctx, key, req)
	if err != nil {
		return nil, err
	}
	block, err := s.checkParams(ctx, req)
	if err != nil {
		return nil, err
	}
	ev := req.Params.EV()
	var n int64
	total := new(big.Rat)
	_, err = s.balances.Reserve(ctx, key, req.Fee, func(b balance.Balance) (*big.Rat, error) {
		free := b.Available() // credit other requests in flight hold is not ours
		if b.Debited.Sign() == 0 && free.Sign() > 0 {
			// Nothing settled yet: the session's first payment may still be
			// on its way, and an orchestrator lends no credit to a session
			// no ticket has paid, so this one pays its own way.
			free.SetInt64(0)
		}
		need := new(big.Rat).Sub(req.Fee, free)
		var err error
		if n, err = ticketsFor(need, ev, s.cfg.MaxTicketsPerPayment); err != nil {
			return nil, err
		}
		total.Mul(ev, new(big.Rat).SetInt64(n))
		if total.Cmp(new(big.Rat).SetInt(s.cfg.MaxTotalEV.Int())) > 0 {
			return nil, fmt.Errorf("%w: %d tickets worth %s wei, max_total_ev %s", ErrTooManyTickets, n, total.FloatString(0), s.cfg.MaxTotalEV.Int())
		}
		return total, nil
	})
	if err != nil {
		return nil, err
	}
	pay, err := s.sign(req.Params, price, n, block)
	if err != nil {
		if _, uerr := s.balances.Unreserve(ctx, key, req.Fee, total); uerr != nil {
			return nil, errors.Join(err, uerr)
		}
		return nil, err
	}
	return pay, nil
}

// sign writes n tickets under p.
func (s *Sender) sign(p *ticket.Params, price *big.Rat, n int64, block uint64) (*ticket.Payment, error) {
	pay := &ticket.Payment{Sender: s.addr, Params: *p, ExpectedPrice: price, Tickets: make([]ticket.SenderTicket, 0, n)}
	for _, nonce := range s.takeNonces(p, int(n), block) {
		sig, err := ticket.Sign(p.Ticket(s.addr, nonce), s.key)
		if err != nil {
			return nil, fmt.Errorf("sender: sign: %w", err)
		}
		pay.Tickets = append(pay.Tickets, ticket.SenderTicket{Nonce: nonce, Sig: sig})
	}
	return pay, nil
}

// ticketsFor is ceil(need / ev), 0 when need ≤ 0, and ErrTooManyTickets
// when that is more than limit. It never converts a number that does not
// fit: need and ev are whatever an orchestrator's price and params make
// them.
func ticketsFor(need, ev *big.Rat, limit int64) (int64, error) {
	if ev.Sign() <= 0 {
		return 0, fmt.Errorf("%w: ticket EV %s", ErrBadParams, ev.RatString())
	}
	if need.Sign() <= 0 {
		return 0, nil
	}
	q := new(big.Rat).Quo(need, ev)
	n := new(big.Int).Quo(q.Num(), q.Denom())
	if !q.IsInt() {
		n.Add(n, big.NewInt(1))
	}
	if !n.IsInt64() || n.Int64() > limit {
		return 0, fmt.Errorf("%w: %s tickets needed, max_tickets_per_payment %d", ErrTooManyTickets, n, limit)
	}
	return n.Int64(), nil
}

// price fixes a new session's price (refusing one above the maximum) and
// holds an existing session to its price.
func (s *Sender) price(ctx context.Context, key balance.Key, req Request) (*big.Rat, error) {
	if b, ok := s.balances.Get(key); ok && b.Price != nil {
		if req.Price.Cmp(b.Price) > 0 {
			return nil, fmt.Errorf("%w: %s, fixed at %s", ErrPriceIncreased, req.Price.RatString(), b.Price.RatString())
		}
		return b.Price, nil
	}
	if req.MaxPrice != nil && req.Price.Cmp(req.MaxPrice) > 0 {
		return nil, fmt.Errorf("%w: %s > %s wei per unit", ErrPriceTooHigh, req.Price.RatString(), req.MaxPrice.RatString())
	}
	return s.balances.FixPrice(ctx, key, req.Price)
}

// checkParams refuses params the gateway must not sign tickets for, and
// returns the current block.
func (s *Sender) checkParams(ctx context.Context, req Request) (uint64, error) {
	p := req.Params
	switch {
	case p == nil:
		return 0, fmt.Errorf("%w: none", ErrBadParams)
	case p.Recipient != req.Orchestrator:
		return 0, fmt.Errorf("%w: recipient %s is not the orchestrator %s", ErrBadParams, p.Recipient.Hex(), req.Orchestrator.Hex())
	case p.ChainID != s.terms.ChainID || p.Broker != s.terms.Broker:
		return 0, fmt.Errorf("%w: chain %d broker %s", ErrBadParams, p.ChainID, p.Broker.Hex())
	case p.FaceValue == nil || p.WinProb == nil:
		return 0, fmt.Errorf("%w: no face value or win probability", ErrBadParams)
	}
	ev := p.EV()
	switch {
	case ev.Sign() <= 0 || ev.Cmp(new(big.Rat).SetInt(p.FaceValue)) > 0:
		return 0, fmt.Errorf("%w: ticket EV %s for face value %s", ErrBadParams, ev.FloatString(0), p.FaceValue)
	case ev.Cmp(new(big.Rat).SetInt(s.cfg.MaxTicketEV.Int())) > 0:
		return 0, fmt.Errorf("%w: ticket EV %s above max_ticket_ev", ErrBadParams, ev.FloatString(0))
	case ev.Cmp(new(big.Rat).SetInt(s.cfg.MinTicketEV.Int())) < 0:
		return 0, fmt.Errorf("%w: %s wei, min_ticket_ev %s", ErrEVTooLow, ev.FloatString(3), s.cfg.MinTicketEV.Int())
	}
	block, err := s.chain.BlockNumber(ctx)
	if err != nil {
		return 0, fmt.Errorf("sender: %w", err)
	}
	if p.ExpirationBlock <= block+1 {
		return 0, fmt.Errorf("%w: they expire at block %d, now %d", ErrBadParams, p.ExpirationBlock, block)
	}
	if p.ExpirationBlock+s.terms.TicketValidity >= block+s.terms.UnlockPeriod {
		return 0, fmt.Errorf("%w: tickets would outlive an unlock started now", ErrBadParams)
	}
	f, err := s.chain.Funds(ctx, s.addr, p.Recipient)
	if err != nil {
		return 0, fmt.Errorf("sender: %w", err)
	}
	if f.WithdrawBlock != 0 {
		return 0, ErrUnlocking
	}
	if have := new(big.Int).Add(f.Deposit, f.Reserve); p.FaceValue.Cmp(have) > 0 {
		return 0, fmt.Errorf("%w: face value %s above the %s wei deposit and reserve", ErrBadParams, p.FaceValue, have)
	}
	return block, nil
}

// takeNonces reserves n nonces under a param set, and forgets the sets
// that have expired.
func (s *Sender) takeNonces(p *ticket.Params, n int, block uint64) []uint32 {
	s.mu.Lock()
	defer s.mu.Unlock()
	for h, set := range s.nonces {
		if set.expiration < block {
			delete(s.nonces, h)
		}
	}
	set, ok := s.nonces[p.RecipientRandHash]
	if !ok {
		set = &nonces{expiration: p.ExpirationBlock}
		s.nonces[p.RecipientRandHash] = set
	}
	out := make([]uint32, n)
	for i := range out {
		out[i] = set.next
		set.next++
	}
	return out
}

// Settle ends the hold of a paid request and debits what was delivered.
func (s *Sender) Settle(ctx context.Context, key balance.Key, held, cost *big.Rat) (balance.Balance, error) {
	return s.balances.Settle(ctx, key, held, cost)
}

// Release ends the hold of a request that got no result. refused is its
// payment when the orchestrator refused it: its credit is taken back too,
// since the orchestrator never counted it; nil when the orchestrator may
// have (it failed after accepting the payment).
func (s *Sender) Release(ctx context.Context, key balance.Key, held *big.Rat, refused *ticket.Payment) error {
	s.balances.Release(key, held)
	if refused == nil || len(refused.Tickets) == 0 {
		return nil
	}
	_, err := s.balances.Uncredit(ctx, key, refused.EV())
	return err
}
