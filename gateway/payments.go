package gateway

import (
	"context"
	"crypto/ecdsa"
	"database/sql"
	"errors"
	"fmt"
	"math/big"
	"path/filepath"

	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/castmesh/castmesh/gateway/selection"
	"github.com/castmesh/castmesh/payments/balance"
	"github.com/castmesh/castmesh/payments/broker"
	"github.com/castmesh/castmesh/payments/onchain"
	"github.com/castmesh/castmesh/payments/sender"
	"github.com/castmesh/castmesh/payments/wallet"
	"github.com/castmesh/castmesh/payments/wei"
	"github.com/castmesh/castmesh/pkg/store"
)

// PaymentsConfig says whether and how the gateway pays orchestrators.
type PaymentsConfig struct {
	// Mode is "on" (probabilistic tickets on the TicketBroker) or "off"
	// (a trusted private cluster).
	Mode string        `yaml:"mode"`
	Eth  wallet.Config `yaml:"eth"`
	// MaxPricePerPixel is the most the gateway pays per output pixel, in
	// wei; "0" means no limit.
	MaxPricePerPixel wei.Price     `yaml:"max_price_per_pixel"`
	Sender           sender.Config `yaml:"sender"`
}

// DefaultPaymentsConfig turns payments on.
func DefaultPaymentsConfig() PaymentsConfig {
	p, _ := wei.ParsePrice("2000")
	// 2000 wei per pixel: twice the orchestrators' default price.
	return PaymentsConfig{Mode: "on", Eth: wallet.DefaultConfig(), MaxPricePerPixel: p, Sender: sender.DefaultConfig()}
}

// On reports whether payments are on.
func (c PaymentsConfig) On() bool { return c.Mode == "on" }

// Validate names the first bad key.
func (c PaymentsConfig) Validate() error {
	if on, err := wallet.CheckMode(c.Mode, c.Eth); !on || err != nil {
		return err
	}
	if err := c.Sender.Validate(); err != nil {
		return fmt.Errorf("payments.sender.%w", err)
	}
	return nil
}

// paying is the gateway's payment machinery.
type paying struct {
	sender   *sender.Sender
	chain    *onchain.Chain
	balances *balance.Store
	db       *sql.DB
	eth      *ethclient.Client
	broker   *broker.Client
	maxPrice *big.Rat
	// key is the gateway's Ethereum key; it also signs its gossip records.
	key *ecdsa.PrivateKey
}

func (p *paying) close() {
	if p.eth != nil {
		p.eth.Close()
	}
	p.db.Close()
}

func openPaying(ctx context.Context, cfg Config) (*paying, error) {
	if cfg.DataDir == "" {
		return nil, errors.New("data_dir must be set with payments on: session balances live there")
	}
	db, err := store.Open(ctx, filepath.Join(cfg.DataDir, "gateway.db"))
	if err != nil {
		return nil, err
	}
	p := &paying{db: db}
	if err := p.open(ctx, cfg.Payments); err != nil {
		p.close()
		return nil, err
	}
	return p, nil
}

func (p *paying) open(ctx context.Context, cfg PaymentsConfig) error {
	var err error
	if p.balances, err = balance.Open(ctx, p.db); err != nil {
		return err
	}
	ec, bc, key, err := cfg.Eth.Dial(ctx)
	if err != nil {
		return err
	}
	p.eth, p.broker, p.chain, p.key = ec, bc, onchain.New(bc, ec), key
	terms, err := p.chain.Terms(ctx)
	if err != nil {
		return err
	}
	if p.sender, err = sender.New(cfg.Sender, key, terms, p.chain, p.balances); err != nil {
		return err
	}
	if max := cfg.MaxPricePerPixel.Rat(); max.Sign() > 0 {
		p.maxPrice = max
	}
	return nil
}

func (p *paying) selection() selection.Payments {
	return selection.Payments{Payer: p.sender, MaxPrice: p.maxPrice}
}

// PaymentStatus is the payments part of the gateway's /status.
type PaymentStatus struct {
	Address       string `json:"address"`
	Deposit       string `json:"deposit"`
	WithdrawBlock uint64 `json:"withdraw_block"`
	// Sessions are the balances per orchestrator session, in wei.
	Sessions []SessionBalance `json:"sessions"`
}

// SessionBalance is one orchestrator session's account as the gateway
// keeps it.
type SessionBalance struct {
	Orchestrator string `json:"orchestrator"`
	Session      string `json:"session"`
	Price        string `json:"price"`
	Credited     string `json:"credited"`
	Debited      string `json:"debited"`
	Balance      string `json:"balance"`
}

func (p *paying) status(ctx context.Context) PaymentStatus {
	st := PaymentStatus{Address: p.sender.Address().Hex()}
	if f, err := p.chain.Funds(ctx, p.sender.Address(), p.sender.Address()); err == nil {
		st.Deposit, st.WithdrawBlock = f.Deposit.String(), f.WithdrawBlock
	}
	for k, b := range p.balances.Sessions("") {
		price := new(big.Rat)
		if b.Price != nil {
			price = b.Price
		}
		st.Sessions = append(st.Sessions, SessionBalance{
			Orchestrator: k.Peer, Session: k.Session, Price: price.RatString(),
			Credited: b.Credited.FloatString(0), Debited: b.Debited.FloatString(0), Balance: b.Credit.FloatString(0),
		})
	}
	return st
}
