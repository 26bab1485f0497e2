// Package wallet is a node's Ethereum identity and chain connection: the
// JSON-RPC endpoint, the contracts, and the key that signs tickets and
// transactions. The key comes from a file holding either a hex private key
// (chmod 600) or a geth keystore JSON, decrypted with a password file.
package wallet

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"

	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/castmesh/castmesh/payments/broker"
	"github.com/castmesh/castmesh/pkg/atomicfile"
)

// Config says which chain and key a node uses.
type Config struct {
	// RPCURL is the Ethereum JSON-RPC endpoint (the embedded chain's by
	// default).
	RPCURL string `yaml:"rpc_url"`
	// KeyFile holds the node's key: hex, or a keystore JSON.
	KeyFile string `yaml:"key_file"`
	// PasswordFile decrypts a keystore KeyFile.
	PasswordFile string `yaml:"password_file"`
	// Contracts are the TicketBroker and ServiceRegistry addresses.
	Contracts broker.Addresses `yaml:"contracts"`
}

// DefaultConfig points at the embedded chain; key and contracts must be set.
func DefaultConfig() Config { return Config{RPCURL: "http://127.0.0.1:8545"} }

// Validate names the first bad key.
func (c Config) Validate() error {
	if u, err := url.Parse(c.RPCURL); err != nil || u.Host == "" {
		return fmt.Errorf("eth.rpc_url must be a URL, got %q", c.RPCURL)
	}
	if c.KeyFile == "" {
		return errors.New("eth.key_file must be set")
	}
	if err := c.Contracts.Validate(); err != nil {
		return fmt.Errorf("eth.contracts: %w", err)
	}
	return nil
}

// CheckMode checks a role's payments.mode ("on" or "off") and, when
// payments are on, its eth section; it reports whether they are on.
func CheckMode(mode string, eth Config) (bool, error) {
	switch mode {
	case "off":
		return false, nil
	case "on":
	default:
		return false, fmt.Errorf("payments.mode must be on or off, got %q", mode)
	}
	if err := eth.Validate(); err != nil {
		return true, fmt.Errorf("payments.%w (or set payments.mode: off)", err)
	}
	return true, nil
}

// LoadKey reads the node's private key.
func (c Config) LoadKey() (*ecdsa.PrivateKey, error) {
	b, err := os.ReadFile(c.KeyFile)
	if err != nil {
		return nil, fmt.Errorf("eth.key_file: %w", err)
	}
	return ParseKey(b, func() ([]byte, error) {
		pw, err := os.ReadFile(c.PasswordFile)
		if err != nil {
			return nil, fmt.Errorf("eth.password_file (the key file is a keystore): %w", err)
		}
		return pw, nil
	})
}

// ParseKey reads a key file's contents: a hex private key (0x optional),
// or a keystore JSON that password decrypts.
func ParseKey(b []byte, password func() ([]byte, error)) (*ecdsa.PrivateKey, error) {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '{' {
		pw, err := password()
		if err != nil {
			return nil, err
		}
		k, err := keystore.DecryptKey(b, strings.TrimRight(string(pw), "\r\n"))
		if err != nil {
			return nil, fmt.Errorf("eth.key_file: %w", err)
		}
		return k.PrivateKey, nil
	}
	k, err := crypto.HexToECDSA(strings.TrimPrefix(string(b), "0x"))
	if err != nil {
		return nil, fmt.Errorf("eth.key_file: not a hex private key or keystore: %w", err)
	}
	return k, nil
}

// WriteKey saves key as hex to path (mode 600), for dev setups. The file
// is replaced whole and synced (pkg/atomicfile): a key half written over
// the old one would lose the account.
func WriteKey(path string, key *ecdsa.PrivateKey) error {
	return atomicfile.Write(path, []byte(fmt.Sprintf("%x\n", crypto.FromECDSA(key))), 0o600)
}

// Dial connects to the chain and the contracts as the node's key.
func (c Config) Dial(ctx context.Context) (*ethclient.Client, *broker.Client, *ecdsa.PrivateKey, error) {
	key, err := c.LoadKey()
	if err != nil {
		return nil, nil, nil, err
	}
	ec, err := ethclient.DialContext(ctx, c.RPCURL)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("eth.rpc_url: %w", err)
	}
	bc, err := broker.New(ec, c.Contracts, key)
	if err != nil {
		ec.Close()
		return nil, nil, nil, err
	}
	if err := bc.Verify(ctx); err != nil {
		ec.Close()
		return nil, nil, nil, fmt.Errorf("eth.contracts: %w", err)
	}
	return ec, bc, key, nil
}
