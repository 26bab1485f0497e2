package broker

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"sync"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/castmesh/castmesh/payments/broker/bindings"
)

// Client drives a deployed TicketBroker and ServiceRegistry as one
// account. Its transactions run one at a time, each to its receipt, so two
// Clients (or processes) must not share a key. A transaction waits for its
// receipt until ctx ends: give ctx a deadline. A transaction mined but
// failed returns its receipt with an error matching ErrTxFailed. Calls run
// concurrently. It is safe for concurrent use.
type Client struct {
	backend  Backend
	addrs    Addresses
	broker   *bindings.TicketBroker
	registry *bindings.ServiceRegistry
	brokerC  *bind.BoundContract
	regC     *bind.BoundContract
	decoder  *revertDecoder
	tx       *transactor // nil: read-only
	from     common.Address

	chainMu sync.Mutex
	chainID *big.Int // fetched once
}

// New returns a client of the contracts at a on backend b that transacts
// as key's account; with a nil key it only reads. It makes no network
// call: Verify checks the contracts are there.
func New(b Backend, a Addresses, key *ecdsa.PrivateKey) (*Client, error) {
	if b == nil {
		return nil, errors.New("nil backend")
	}
	if err := a.Validate(); err != nil {
		return nil, err
	}
	dec, err := newDecoder()
	if err != nil {
		return nil, err
	}
	c := &Client{
		backend: b, addrs: a, decoder: dec,
		broker: bindings.NewTicketBroker(), registry: bindings.NewServiceRegistry(),
	}
	c.brokerC = c.broker.Instance(b, a.TicketBroker)
	c.regC = c.registry.Instance(b, a.ServiceRegistry)
	if key != nil {
		c.tx = newTransactor(b, key, dec)
		c.from = crypto.PubkeyToAddress(key.PublicKey)
	}
	return c, nil
}

// Address is the client's account, or the zero address if it is read-only.
func (c *Client) Address() common.Address { return c.from }

// Addresses are the contracts the client talks to.
func (c *Client) Addresses() Addresses { return c.addrs }

// ChainID is the chain's id, asked of the backend once.
func (c *Client) ChainID(ctx context.Context) (uint64, error) {
	id, err := c.chainIDBig(ctx)
	if err != nil {
		return 0, err
	}
	return id.Uint64(), nil
}

func (c *Client) chainIDBig(ctx context.Context) (*big.Int, error) {
	c.chainMu.Lock()
	defer c.chainMu.Unlock()
	if c.chainID != nil {
		return c.chainID, nil
	}
	id, err := c.backend.ChainID(ctx)
	if err != nil {
		return nil, fmt.Errorf("chain id: %w", err)
	}
	if !id.IsUint64() {
		return nil, fmt.Errorf("chain id %s does not fit 64 bits", id)
	}
	c.chainID = id
	return id, nil
}

// Verify checks there is contract code at both addresses.
func (c *Client) Verify(ctx context.Context) error {
	for _, a := range []common.Address{c.addrs.TicketBroker, c.addrs.ServiceRegistry} {
		code, err := c.backend.CodeAt(ctx, a, nil)
		if err != nil {
			return fmt.Errorf("code at %s: %w", a, err)
		}
		if len(code) == 0 {
			return fmt.Errorf("%w: %s", ErrNoContract, a)
		}
	}
	return nil
}

// BlockNumber is the latest block's number.
func (c *Client) BlockNumber(ctx context.Context) (uint64, error) {
	n, err := c.backend.BlockNumber(ctx)
	if err != nil {
		return 0, fmt.Errorf("block number: %w", err)
	}
	return n, nil
}

// Balance is an account's balance in wei.
func (c *Client) Balance(ctx context.Context, account common.Address) (*big.Int, error) {
	b, err := c.backend.BalanceAt(ctx, account, nil)
	if err != nil {
		return nil, fmt.Errorf("balance of %s: %w", account, err)
	}
	return b, nil
}

// transact sends data with value (wei, nil for none) to contract bc.
func (c *Client) transact(ctx context.Context, bc *bind.BoundContract, value *big.Int, data []byte) (*types.Receipt, error) {
	if c.tx == nil {
		return nil, ErrReadOnly
	}
	chainID, err := c.chainIDBig(ctx)
	if err != nil {
		return nil, err
	}
	return c.tx.send(ctx, chainID, value, func(opts *bind.TransactOpts) (*types.Transaction, error) {
		return bind.Transact(bc, opts, data)
	})
}

// call runs a read-only call and unpacks its result.
func call[T any](ctx context.Context, c *Client, bc *bind.BoundContract, data []byte, unpack func([]byte) (T, error)) (T, error) {
	v, err := bind.Call(bc, &bind.CallOpts{Context: ctx}, data, unpack)
	return v, c.decoder.wrap(err)
}
