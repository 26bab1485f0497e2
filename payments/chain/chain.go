package chain

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"net"
	"os"
	"strconv"
	"sync"

	"github.com/ethereum/go-ethereum/core/rawdb"
	"github.com/ethereum/go-ethereum/eth"
	"github.com/ethereum/go-ethereum/eth/catalyst"
	"github.com/ethereum/go-ethereum/eth/ethconfig"
	"github.com/ethereum/go-ethereum/eth/filters"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/node"
	"github.com/ethereum/go-ethereum/p2p"
	"github.com/ethereum/go-ethereum/rpc"
)

// Chain is an open embedded dev chain.
type Chain struct {
	cfg    Config
	logger *slog.Logger
	stack  *node.Node
	eth    *eth.Ethereum
	beacon *catalyst.SimulatedBeacon
	// client talks to the node in-process, without HTTP.
	client    *ethclient.Client
	info      Info
	closeOnce sync.Once
	closeErr  error
}

// New opens the chain in cfg.DataDir, creating it on first use, and binds
// the JSON-RPC listener. On first start it seals blocks while it deploys
// the contracts from DevKey(0) and writes chain.json; on later starts it
// checks the contracts listed there still have code. Blocks are sealed on
// the timer only once Run is called.
func New(ctx context.Context, cfg Config, logger *slog.Logger) (*Chain, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err // before anything is created on disk
	}
	c := &Chain{cfg: cfg, logger: logger.With("component", "chain")}
	if err := c.open(); err != nil {
		return nil, errors.Join(err, c.close())
	}
	if err := c.setup(ctx); err != nil {
		return nil, errors.Join(err, c.close())
	}
	return c, nil
}

// Run seals a block every BlockPeriod until ctx ends, then closes the node
// cleanly (state flushed, database closed, listener released).
func (c *Chain) Run(ctx context.Context) error {
	c.logger.Info("chain running", "rpc", c.URL(), "chain_id", c.info.ChainID, "block_period", c.cfg.BlockPeriod,
		"block", c.eth.BlockChain().CurrentBlock().Number.Uint64())
	c.sealLoop(ctx)
	return c.close()
}

// URL is the JSON-RPC endpoint, http://host:port, with the real port when
// Config.HTTPAddr asked for port 0.
func (c *Chain) URL() string {
	return c.stack.HTTPEndpoint()
}

// Info describes the chain: chain id, RPC URL, contracts and dev accounts.
func (c *Chain) Info() Info {
	return c.info.clone()
}

// open creates the node and the Ethereum service and starts them.
func (c *Chain) open() error {
	if err := os.MkdirAll(c.cfg.DataDir, 0o700); err != nil {
		return fmt.Errorf("data_dir: %w", err)
	}
	stack, err := node.New(c.nodeConfig())
	if err != nil {
		return fmt.Errorf("data_dir %s: %w", c.cfg.DataDir, err)
	}
	c.stack = stack
	exists, err := hasChain(stack)
	if err != nil {
		return err
	}
	ethCfg := c.ethConfig(exists)
	if c.eth, err = eth.New(stack, &ethCfg); err != nil {
		return fmt.Errorf("opening chain: %w", err)
	}
	// eth_getLogs and the eth_*Filter calls, as geth registers them.
	filterSystem := filters.NewFilterSystem(c.eth.APIBackend, filters.Config{})
	stack.RegisterAPIs([]rpc.API{{Namespace: "eth", Service: filters.NewFilterAPI(filterSystem)}})
	if err := stack.Start(); err != nil {
		return fmt.Errorf("http_addr %s: %w", c.cfg.HTTPAddr, err)
	}
	// Period 0: the beacon's own loop stays off; Run drives Commit.
	if c.beacon, err = catalyst.NewSimulatedBeacon(0, DevAddress(0), c.eth); err != nil {
		return fmt.Errorf("starting simulated beacon: %w", err)
	}
	c.client = ethclient.NewClient(stack.Attach())
	return nil
}

func (c *Chain) nodeConfig() *node.Config {
	host, port, _ := net.SplitHostPort(c.cfg.HTTPAddr) // checked by Validate
	p, _ := strconv.Atoi(port)
	return &node.Config{
		// Name is the instance directory under DataDir (else the binary's
		// name) and the web3_clientVersion prefix.
		Name:                 "castmesh",
		DataDir:              c.cfg.DataDir,
		DBEngine:             "pebble",
		HTTPHost:             host,
		HTTPPort:             p,
		HTTPModules:          []string{"eth", "net", "web3"},
		HTTPVirtualHosts:     []string{"localhost"},
		HTTPTimeouts:         rpc.DefaultHTTPTimeouts,
		BatchRequestLimit:    node.DefaultConfig.BatchRequestLimit,
		BatchResponseMaxSize: node.DefaultConfig.BatchResponseMaxSize,
		HTTPBodyLimit:        node.DefaultConfig.HTTPBodyLimit,
		// IPCPath, WSHost and AuthPort stay zero: no IPC, WebSocket or
		// engine API. P2P as geth --dev: no listener, dialing or discovery;
		// NAT nil, so no UDP port mapping either.
		P2P: p2p.Config{MaxPeers: 0, ListenAddr: "", NoDial: true, NoDiscovery: true},
	}
}

// ethConfig is geth --dev's Ethereum config with caches sized for a dev
// chain. existing leaves the genesis out so the stored one is used.
func (c *Chain) ethConfig(existing bool) ethconfig.Config {
	cfg := ethconfig.Defaults
	cfg.NetworkId = chainID
	cfg.SyncMode = ethconfig.FullSync
	if !existing {
		cfg.Genesis = devGenesis(c.cfg.Accounts)
	}
	// Hash scheme, archive: each sealed block's state is committed to the
	// database, so a killed process resumes at its last block (the path
	// scheme keeps recent state in memory until a clean shutdown).
	cfg.StateScheme = rawdb.HashScheme
	cfg.NoPruning = true
	cfg.DatabaseCache, cfg.DatabaseHandles = 64, 256
	cfg.TrieCleanCache, cfg.TrieDirtyCache = 32, 0
	// No snapshot: the state is tiny, and a snapshot would need regenerating
	// in the background after a crash.
	cfg.SnapshotCache = 0
	// No log index (as ethclient/simulated): eth_getLogs scans block
	// blooms instead, cheap at dev-chain sizes, while the index costs
	// seconds of rendering at every start and stop.
	cfg.LogNoHistory = true
	cfg.Miner.GasCeil = gasLimit
	// geth --dev accepts a 1 wei tip; the default (1 mwei) would refuse
	// transactions from tools that price off an idle chain's fee history.
	cfg.Miner.GasPrice = big.NewInt(1)
	cfg.Miner.PendingFeeRecipient = DevAddress(0)
	// No local-transaction journal file: a pending tx lost at shutdown is
	// the sender's to retry, as on any node.
	cfg.TxPool.NoLocals = true
	cfg.TxPool.Journal = ""
	return cfg
}

// close stops the node once; later calls return the first result.
func (c *Chain) close() error {
	c.closeOnce.Do(func() {
		if c.client != nil {
			c.client.Close()
		}
		if c.stack != nil {
			c.closeErr = c.stack.Close()
		}
	})
	return c.closeErr
}
