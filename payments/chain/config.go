package chain

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/castmesh/castmesh/payments/broker"
	"github.com/castmesh/castmesh/pkg/logging"
)

// Config is the embedded chain's configuration.
type Config struct {
	// DataDir holds the chain database and chain.json. Created when
	// missing; keep it to resume the chain, delete it to start over.
	DataDir string `yaml:"data_dir"`
	// HTTPAddr is the JSON-RPC listener, host:port. Port 0 picks a free
	// port (see Chain.URL). The API has no authentication and the dev keys
	// are public: keep it on loopback.
	HTTPAddr string `yaml:"http_addr"`
	// BlockPeriod is how often a block is sealed, with or without
	// transactions, so block-based expiry and unlock delays advance while
	// idle. Under 1s chain time runs ahead of the wall clock (each block's
	// timestamp is at least its parent's plus one second).
	BlockPeriod time.Duration `yaml:"block_period"`
	// Accounts is how many dev accounts (DevKey(0) … DevKey(n-1)) the
	// genesis funds, DevBalance wei each. Read on first start only: the
	// genesis of an existing chain never changes.
	Accounts int `yaml:"accounts"`
	// UnlockPeriod is the TicketBroker's delay, in blocks, between a
	// sender's unlock and its withdraw. It must exceed TicketValidity so a
	// sender cannot withdraw before its last tickets can be redeemed. Used
	// on first start only, when the contracts are deployed.
	UnlockPeriod uint64 `yaml:"unlock_period"`
	// TicketValidity is how many blocks after its expiration block a
	// ticket can still be redeemed. Used on first start only.
	TicketValidity uint64         `yaml:"ticket_validity"`
	Log            logging.Config `yaml:"log"`
}

// DefaultConfig returns the defaults: the conventional Ethereum JSON-RPC
// port on loopback and one block a second.
func DefaultConfig() Config {
	deploy := broker.DefaultDeployConfig()
	return Config{
		DataDir:     ".data/chain",
		HTTPAddr:    "127.0.0.1:8545",
		BlockPeriod: time.Second,
		// Ten accounts, like other dev chains: a gateway, orchestrators and
		// spares for tests.
		Accounts: 10,
		// The broker's devnet values: 600 blocks (10 min at 1 s blocks)
		// and 300 blocks; see broker.DefaultDeployConfig.
		UnlockPeriod:   deploy.UnlockPeriod,
		TicketValidity: deploy.TicketValidity,
		Log:            logging.DefaultConfig(),
	}
}

// maxAccounts bounds the genesis alloc; a dev chain needs a handful.
const maxAccounts = 1000

// Validate names the first bad key.
func (c Config) Validate() error {
	if c.DataDir == "" {
		return errors.New("data_dir must be set (the chain is persistent)")
	}
	host, port, err := net.SplitHostPort(c.HTTPAddr)
	if err != nil {
		return fmt.Errorf("http_addr: %w", err)
	}
	// An empty host would make go-ethereum disable HTTP altogether.
	if _, err := strconv.ParseUint(port, 10, 16); err != nil || host == "" {
		return fmt.Errorf("http_addr must be host:port with a numeric port, got %q", c.HTTPAddr)
	}
	if c.BlockPeriod < 10*time.Millisecond || c.BlockPeriod > time.Hour {
		return fmt.Errorf("block_period must be 10ms..1h, got %s", c.BlockPeriod)
	}
	if c.Accounts < 1 || c.Accounts > maxAccounts {
		return fmt.Errorf("accounts must be 1..%d, got %d", maxAccounts, c.Accounts)
	}
	// The contract's own rules; the messages name the keys.
	if err := c.deployConfig().Validate(); err != nil {
		return err
	}
	return c.Log.Validate() // its messages name log.level / log.format
}
