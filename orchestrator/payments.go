package orchestrator

import (
	"context"
	"crypto/ecdsa"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"os"
	"path/filepath"

	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/castmesh/castmesh/orchestrator/pricing"
	"github.com/castmesh/castmesh/payments/balance"
	"github.com/castmesh/castmesh/payments/onchain"
	"github.com/castmesh/castmesh/payments/recipient"
	"github.com/castmesh/castmesh/payments/redeemer"
	"github.com/castmesh/castmesh/payments/wallet"
	"github.com/castmesh/castmesh/pkg/atomicfile"
	"github.com/castmesh/castmesh/pkg/store"
)

// PaymentsConfig says whether and how the orchestrator is paid.
type PaymentsConfig struct {
	// Mode is "on" (tickets on the TicketBroker) or "off" (a trusted
	// private cluster: work is free).
	Mode      string           `yaml:"mode"`
	Eth       wallet.Config    `yaml:"eth"`
	Prices    pricing.Config   `yaml:"prices"`
	Recipient recipient.Config `yaml:"recipient"`
	Redeemer  redeemer.Config  `yaml:"redeemer"`
}

// DefaultPaymentsConfig turns payments on with the default terms.
func DefaultPaymentsConfig() PaymentsConfig {
	return PaymentsConfig{
		Mode: "on", Eth: wallet.DefaultConfig(), Prices: pricing.DefaultConfig(),
		Recipient: recipient.DefaultConfig(), Redeemer: redeemer.DefaultConfig(),
	}
}

// On reports whether payments are on.
func (c PaymentsConfig) On() bool { return c.Mode == "on" }

// Validate names the first bad key.
func (c PaymentsConfig) Validate() error {
	if on, err := wallet.CheckMode(c.Mode, c.Eth); !on || err != nil {
		return err
	}
	if err := c.Prices.Validate(); err != nil {
		return fmt.Errorf("payments.%w", err)
	}
	if err := c.Recipient.Validate(); err != nil {
		return fmt.Errorf("payments.recipient.%w", err)
	}
	if c.Redeemer.Interval <= 0 {
		return errors.New("payments.redeemer.interval must be positive")
	}
	return nil
}

// secret is the node's long-lived secret, kept in the data directory so
// session tokens and ticket params survive a restart: a restarted
// orchestrator must still honour the params it handed out.
func secret(dataDir string) ([]byte, error) {
	if dataDir == "" {
		b := make([]byte, 32)
		_, err := rand.Read(b)
		return b, err
	}
	path := filepath.Join(dataDir, "secret")
	if b, err := os.ReadFile(path); err == nil && len(b) == 32 {
		return b, nil
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, fmt.Errorf("data_dir: %w", err)
	}
	// Atomic and synced: a torn file would be read as no secret, and a new
	// one would void every ticket and session handed out under the old.
	if err := atomicfile.Write(path, b, 0o600); err != nil {
		return nil, fmt.Errorf("data_dir: %w", err)
	}
	return b, nil
}

// signingKey is the key renditions are signed with when payments are off:
// derived from the node secret, so it stays the same across restarts when
// data_dir keeps the secret.
func signingKey(secret []byte) (*ecdsa.PrivateKey, error) {
	return crypto.ToECDSA(subkey(secret, "attest"))
}

// subkey derives a purpose-specific key from the node secret.
func subkey(secret []byte, purpose string) []byte {
	h := hmac.New(sha256.New, secret)
	h.Write([]byte(purpose))
	return h.Sum(nil)
}

// paid is the orchestrator's payment machinery.
type paid struct {
	billing  *pricing.Billing
	redeemer *redeemer.Redeemer
	queue    *redeemer.Queue
	balances *balance.Store
	db       *sql.DB
	eth      *ethclient.Client
	// key is the orchestrator's Ethereum key; it also signs renditions.
	key *ecdsa.PrivateKey
}

func (p *paid) close() {
	p.eth.Close()
	p.db.Close()
}

// openPayments connects to the chain and opens the durable state.
func openPayments(ctx context.Context, cfg Config, secret []byte, reg prometheus.Registerer, logger *slog.Logger) (*paid, error) {
	db, err := store.Open(ctx, filepath.Join(cfg.DataDir, "orchestrator.db"))
	if err != nil {
		return nil, err
	}
	p := &paid{db: db}
	if err := p.open(ctx, cfg, secret, reg, logger); err != nil {
		db.Close()
		if p.eth != nil {
			p.eth.Close()
		}
		return nil, err
	}
	return p, nil
}

func (p *paid) open(ctx context.Context, cfg Config, secret []byte, reg prometheus.Registerer, logger *slog.Logger) error {
	var err error
	if p.balances, err = balance.Open(ctx, p.db); err != nil {
		return err
	}
	if p.queue, err = redeemer.OpenQueue(ctx, p.db); err != nil {
		return err
	}
	pc := cfg.Payments
	ec, bc, key, err := pc.Eth.Dial(ctx)
	if err != nil {
		return err
	}
	p.eth, p.key = ec, key
	chainID, err := bc.ChainID(ctx)
	if err != nil {
		return err
	}
	chain := onchain.New(bc, ec)
	terms, err := chain.Terms(ctx)
	if err != nil {
		return err
	}
	nonces, err := recipient.OpenNonces(ctx, p.db)
	if err != nil {
		return err
	}
	r, err := recipient.New(pc.Recipient, recipient.Identity{
		Address: bc.Address(), ChainID: chainID, Broker: pc.Eth.Contracts.TicketBroker, Secret: subkey(secret, "recipient"),
		TicketValidity: terms.TicketValidity,
	}, chain, p.balances, p.queue, nonces, logger, recipient.NewMetrics(reg))
	if err != nil {
		return err
	}
	if p.billing, err = pricing.NewBilling(pc.Prices, r); err != nil {
		return err
	}
	p.redeemer, err = redeemer.New(pc.Redeemer, p.queue, chain, logger, redeemer.NewMetrics(reg))
	return err
}

// PaymentStatus is the payments part of /status.
type PaymentStatus struct {
	Address string `json:"address"`
	// Tickets counts winning tickets by status (pending, redeemed, used,
	// failed) with their face values in wei.
	Tickets redeemer.Stats `json:"tickets"`
	// Sessions are the balances per gateway session, in wei.
	Sessions []SessionBalance `json:"sessions"`
}

// SessionBalance is one gateway session's account.
type SessionBalance struct {
	Sender   string `json:"sender"`
	Session  string `json:"session"`
	Price    string `json:"price"`
	Credited string `json:"credited"`
	Debited  string `json:"debited"`
	Balance  string `json:"balance"`
}

func (p *paid) status(ctx context.Context) PaymentStatus {
	st := PaymentStatus{Address: p.billing.Address().Hex()}
	st.Tickets, _ = p.queue.Stats(ctx) // best effort: status must answer
	for k, b := range p.balances.Sessions("") {
		price := new(big.Rat)
		if b.Price != nil {
			price = b.Price
		}
		st.Sessions = append(st.Sessions, SessionBalance{
			Sender: k.Peer, Session: k.Session, Price: price.RatString(),
			Credited: b.Credited.FloatString(0), Debited: b.Debited.FloatString(0), Balance: b.Credit.FloatString(0),
		})
	}
	return st
}
