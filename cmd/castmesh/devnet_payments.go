package main

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"log/slog"
	"math/big"
	"os"
	"path/filepath"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"
	"golang.org/x/sync/errgroup"

	"github.com/castmesh/castmesh/gateway"
	"github.com/castmesh/castmesh/orchestrator"
	"github.com/castmesh/castmesh/payments/broker"
	"github.com/castmesh/castmesh/payments/chain"
	"github.com/castmesh/castmesh/payments/wallet"
)

// devnetPayments is the devnet's chain and who pays whom on it. The
// gateway uses dev account 1 and orchestrator i dev account 2+i (account 0
// deployed the contracts); their keys are public, dev-only.
type devnetPayments struct {
	info    chain.Info
	dataDir string
}

const gatewayAccount, firstOrchestratorAccount = 1, 2

func startDevnetChain(ctx context.Context, g *errgroup.Group, cfg devnetConfig, log *slog.Logger) (*devnetPayments, error) {
	cc := chain.DefaultConfig()
	cc.DataDir, cc.HTTPAddr, cc.BlockPeriod = filepath.Join(cfg.DataDir, "chain"), cfg.ChainAddr, cfg.BlockPeriod
	cc.Accounts = firstOrchestratorAccount + cfg.Orchestrators
	c, err := chain.New(ctx, cc, log.With("node", "chain"))
	if err != nil {
		return nil, err
	}
	g.Go(func() error { return c.Run(ctx) })
	p := &devnetPayments{info: c.Info(), dataDir: cfg.DataDir}
	if len(p.info.Accounts) < cc.Accounts {
		return nil, fmt.Errorf("the chain in %s funds %d dev accounts; %d orchestrators need %d (delete it to start over)",
			cc.DataDir, len(p.info.Accounts), cfg.Orchestrators, cc.Accounts)
	}
	return p, nil
}

func (p *devnetPayments) chainInfo() *DevnetChain {
	return &DevnetChain{
		RPC: p.info.RPCURL, ChainID: p.info.ChainID, TicketBroker: p.info.TicketBroker.Hex(),
		ServiceRegistry: p.info.ServiceRegistry.Hex(),
	}
}

func (p *devnetPayments) gatewayAddress() common.Address { return chain.DevAddress(gatewayAccount) }

func (p *devnetPayments) orchestratorAddress(i int) common.Address {
	return chain.DevAddress(firstOrchestratorAccount + i)
}

// wallet writes a dev key file and returns the wallet config using it.
func (p *devnetPayments) wallet(name string, key *ecdsa.PrivateKey) (wallet.Config, error) {
	dir := filepath.Join(p.dataDir, "keys")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return wallet.Config{}, err
	}
	path := filepath.Join(dir, name+".key")
	if err := wallet.WriteKey(path, key); err != nil {
		return wallet.Config{}, err
	}
	return wallet.Config{RPCURL: p.info.RPCURL, KeyFile: path, Contracts: broker.Addresses{
		TicketBroker: p.info.TicketBroker, ServiceRegistry: p.info.ServiceRegistry,
	}}, nil
}

func (p *devnetPayments) orchestrator(oc *orchestrator.Config, cfg devnetConfig, i int) error {
	name := fmt.Sprintf("orchestrator-%d", i+1)
	w, err := p.wallet(name, chain.DevKey(firstOrchestratorAccount+i))
	if err != nil {
		return err
	}
	oc.DataDir, oc.Payments.Eth = filepath.Join(cfg.DataDir, name), w
	oc.Payments.Prices.Transcode = cfg.PricePerPixel
	oc.Payments.Recipient.TicketEV, oc.Payments.Recipient.MaxFaceValue = cfg.TicketEV, cfg.MaxFaceValue
	oc.Payments.Redeemer.Interval = cfg.BlockPeriod
	return nil
}

func (p *devnetPayments) gateway(gc *gateway.Config, cfg devnetConfig) error {
	w, err := p.wallet("gateway", chain.DevKey(gatewayAccount))
	if err != nil {
		return err
	}
	gc.DataDir, gc.Payments.Eth = filepath.Join(cfg.DataDir, "gateway"), w
	return nil
}

// fund tops the gateway's deposit and reserves up to the configured
// amounts and registers each orchestrator's service address on chain.
func (p *devnetPayments) fund(ctx context.Context, cfg devnetConfig, orchs []DevnetNodeAddrs) error {
	ec, err := ethclient.DialContext(ctx, p.info.RPCURL)
	if err != nil {
		return err
	}
	defer ec.Close()
	addrs := broker.Addresses{TicketBroker: p.info.TicketBroker, ServiceRegistry: p.info.ServiceRegistry}
	gw, err := broker.New(ec, addrs, chain.DevKey(gatewayAccount))
	if err != nil {
		return err
	}
	info, err := gw.SenderInfo(ctx, gw.Address())
	if err != nil {
		return err
	}
	if short := new(big.Int).Sub(cfg.Deposit.Int(), info.Deposit); short.Sign() > 0 {
		if _, err := gw.FundDeposit(ctx, short); err != nil {
			return fmt.Errorf("fund the gateway's deposit: %w", err)
		}
	}
	for i, o := range orchs {
		recipient := p.orchestratorAddress(i)
		have, err := gw.ReserveFor(ctx, gw.Address(), recipient)
		if err != nil {
			return err
		}
		if short := new(big.Int).Sub(cfg.Reserve.Int(), have); short.Sign() > 0 {
			if _, err := gw.FundReserve(ctx, recipient, short); err != nil {
				return fmt.Errorf("fund a reserve for %s: %w", recipient.Hex(), err)
			}
		}
		oc, err := broker.New(ec, addrs, chain.DevKey(firstOrchestratorAccount+i))
		if err != nil {
			return err
		}
		if _, err := oc.SetServiceURI(ctx, o.Addr); err != nil {
			return fmt.Errorf("register %s: %w", o.Addr, err)
		}
	}
	return nil
}
