package recipient

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"log/slog"
	"math/big"

	"github.com/ethereum/go-ethereum/common"

	"github.com/castmesh/castmesh/payments/balance"
	"github.com/castmesh/castmesh/payments/ticket"
)

// SenderState is what the chain says of a sender.
type SenderState struct {
	Deposit *big.Int
	// Reserve is the sender's reserve for this recipient.
	Reserve *big.Int
	// WithdrawBlock is 0 while the sender is locked, else the block its
	// funds can leave at.
	WithdrawBlock uint64
}

// Chain is what a recipient reads from the chain.
type Chain interface {
	BlockNumber(ctx context.Context) (uint64, error)
	GasPrice(ctx context.Context) (*big.Int, error)
	SenderState(ctx context.Context, sender common.Address) (SenderState, error)
}

// Winners is the durable queue winning tickets go to.
type Winners interface {
	Add(ctx context.Context, w ticket.Winner) error
	// Pending is the face value of sender's winners not yet redeemed.
	Pending(sender common.Address) *big.Int
}

// Identity is who this recipient is and where its tickets are paid.
type Identity struct {
	Address common.Address
	ChainID uint64
	Broker  common.Address
	// Secret keys recipientRand; it must survive restarts, or params handed
	// out before one stop being honoured.
	Secret []byte
	// TicketValidity is the broker's: how many blocks after its params
	// expire a ticket can still be redeemed. Nonces are kept that long.
	TicketValidity uint64
}

// Recipient checks and credits payments.
type Recipient struct {
	cfg      Config
	id       Identity
	chain    Chain
	balances *balance.Store
	winners  Winners
	nonces   *Nonces
	logger   *slog.Logger
	metrics  *Metrics
}

// New makes a recipient. Its tickets' nonces are recorded in nonces, which
// must live as long as balances (the same database).
func New(cfg Config, id Identity, chain Chain, balances *balance.Store, winners Winners, nonces *Nonces,
	logger *slog.Logger, m *Metrics,
) (*Recipient, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if len(id.Secret) < 16 {
		return nil, fmt.Errorf("recipient secret must be at least 16 bytes")
	}
	if nonces == nil {
		return nil, fmt.Errorf("recipient: a nonce store is required")
	}
	return &Recipient{
		cfg: cfg, id: id, chain: chain, balances: balances, winners: winners, nonces: nonces,
		logger: logger.With("component", "recipient"), metrics: m,
	}, nil
}

// Address is the recipient's address.
func (r *Recipient) Address() common.Address { return r.id.Address }

// TicketEV is the expected value of one ticket, in wei.
func (r *Recipient) TicketEV() *big.Rat { return new(big.Rat).SetInt(r.cfg.TicketEV.Int()) }

// Params returns fresh params for sender.
func (r *Recipient) Params(ctx context.Context, sender common.Address) (*ticket.Params, error) {
	block, err := r.chain.BlockNumber(ctx)
	if err != nil {
		return nil, fmt.Errorf("recipient: block number: %w", err)
	}
	face, err := r.faceValue(ctx, sender)
	if err != nil {
		return nil, err
	}
	seed := make([]byte, 32)
	if _, err := rand.Read(seed); err != nil {
		return nil, err
	}
	p := &ticket.Params{
		Recipient: r.id.Address, FaceValue: face, WinProb: ticket.WinProbFor(r.TicketEV(), face),
		Seed: seed, ExpirationBlock: block + r.cfg.ParamsLifetime, ChainID: r.id.ChainID, Broker: r.id.Broker,
	}
	p.RecipientRandHash = ticket.RandHash(r.rand(sender, p))
	return p, nil
}

// faceValue is the multiplier times the larger of the redemption cost and
// one EV (so a ticket wins at most once in multiplier draws even when gas
// is nearly free, as Livepeer does), at most the configured cap and what
// the sender's reserve for this recipient still guarantees.
func (r *Recipient) faceValue(ctx context.Context, sender common.Address) (*big.Int, error) {
	gasPrice, err := r.chain.GasPrice(ctx)
	if err != nil {
		return nil, fmt.Errorf("recipient: gas price: %w", err)
	}
	face := new(big.Int).SetUint64(r.cfg.RedeemGas)
	face.Mul(face, gasPrice)
	ev := r.cfg.TicketEV.Int()
	if face.Cmp(ev) < 0 {
		face.Set(ev)
	}
	face.Mul(face, new(big.Int).SetUint64(r.cfg.FaceValueMultiplier))
	if limit := r.cfg.MaxFaceValue.Int(); limit.Sign() > 0 && face.Cmp(limit) > 0 {
		face.Set(limit)
	}
	st, err := r.chain.SenderState(ctx, sender)
	if err != nil {
		return nil, fmt.Errorf("recipient: sender state: %w", err)
	}
	guaranteed := new(big.Int).Sub(st.Reserve, r.winners.Pending(sender))
	if face.Cmp(guaranteed) > 0 {
		face.Set(guaranteed)
	}
	if face.Cmp(ev) < 0 {
		return nil, fmt.Errorf("%w: it guarantees %s wei, one ticket is worth %s", ErrInsufficientReserve, guaranteed, ev)
	}
	return face, nil
}

// rand derives the recipient's random number for params offered to sender.
func (r *Recipient) rand(sender common.Address, p *ticket.Params) *big.Int {
	h := hmac.New(sha256.New, r.id.Secret)
	h.Write(p.Seed)
	h.Write(sender.Bytes())
	h.Write(common.LeftPadBytes(p.FaceValue.Bytes(), 32))
	h.Write(common.LeftPadBytes(p.WinProb.Bytes(), 32))
	h.Write(binary.BigEndian.AppendUint64(nil, p.ExpirationBlock))
	h.Write(binary.BigEndian.AppendUint64(nil, p.ChainID))
	h.Write(p.Broker.Bytes())
	return new(big.Int).SetBytes(h.Sum(nil))
}
