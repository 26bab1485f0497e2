package broker

import (
	"context"
	"crypto/ecdsa"
	"math/big"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	"github.com/ethereum/go-ethereum/params"

	"github.com/castmesh/castmesh/payments/ticket"
)

// Both real backends satisfy Backend.
var (
	_ Backend = (*ethclient.Client)(nil)
	_ Backend = simulated.Client(nil)
)

// testChain is the embedded simulated chain. Unless manual is set, it
// seals a block right after every transaction it is sent, like geth --dev
// with period 0, so a client's receipt is there on its first poll.
type testChain struct {
	simulated.Client
	sim    *simulated.Backend
	manual atomic.Bool
}

func (c *testChain) SendTransaction(ctx context.Context, tx *types.Transaction) error {
	if err := c.Client.SendTransaction(ctx, tx); err != nil {
		return err
	}
	if !c.manual.Load() {
		c.sim.Commit()
	}
	return nil
}

// advance seals n empty blocks.
func (c *testChain) advance(n int) {
	for range n {
		c.sim.Commit()
	}
}

// testDeploy is the broker config of the tests: short, so expiry and
// unlock tests seal few blocks.
var testDeploy = DeployConfig{UnlockPeriod: 20, TicketValidity: 5}

// testChainID is the simulated backend's chain id.
const testChainID = 1337

// env is a chain with both contracts deployed and four funded accounts,
// each with its own client.
type env struct {
	// ctx bounds every chain call of the test that made the env.
	ctx                         context.Context
	chain                       *testChain
	addrs                       Addresses
	sender, recipient, other    *ecdsa.PrivateKey
	senderC, recipientC, otherC *Client
}

// fixedKey returns a deterministic key, so signatures (RFC 6979) and
// draws are the same on every run.
func fixedKey(t testing.TB, n byte) *ecdsa.PrivateKey {
	t.Helper()
	k, err := crypto.ToECDSA(common.LeftPadBytes([]byte{n, 0xb0, 0x0c}, 32))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func addr(k *ecdsa.PrivateKey) common.Address { return crypto.PubkeyToAddress(k.PublicKey) }

func ether(n int64) *big.Int { return new(big.Int).Mul(big.NewInt(n), big.NewInt(params.Ether)) }

// testCtx is bounded: no test waits on the chain for long.
func testCtx(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func newChain(t testing.TB, keys ...*ecdsa.PrivateKey) *testChain {
	t.Helper()
	alloc := types.GenesisAlloc{}
	for _, k := range keys {
		alloc[addr(k)] = types.Account{Balance: ether(1000)}
	}
	sim := simulated.NewBackend(alloc)
	t.Cleanup(func() { _ = sim.Close() })
	return &testChain{Client: sim.Client(), sim: sim}
}

func newEnv(t testing.TB) *env {
	t.Helper()
	deployer := fixedKey(t, 1)
	e := &env{ctx: testCtx(t), sender: fixedKey(t, 2), recipient: fixedKey(t, 3), other: fixedKey(t, 4)}
	e.chain = newChain(t, deployer, e.sender, e.recipient, e.other)
	var err error
	if e.addrs, err = Deploy(e.ctx, e.chain, deployer, testDeploy); err != nil {
		t.Fatal(err)
	}
	e.senderC, e.recipientC, e.otherC = e.client(t, e.sender), e.client(t, e.recipient), e.client(t, e.other)
	return e
}

func (e *env) client(t testing.TB, key *ecdsa.PrivateKey) *Client {
	t.Helper()
	c, err := New(e.chain, e.addrs, key)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (e *env) block(t testing.TB) uint64 {
	t.Helper()
	n, err := e.chain.BlockNumber(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func (e *env) balance(t testing.TB, a common.Address) *big.Int {
	t.Helper()
	b, err := e.chain.BalanceAt(e.ctx, a, nil)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func (e *env) info(t testing.TB, sender common.Address) SenderInfo {
	t.Helper()
	si, err := e.otherC.SenderInfo(e.ctx, sender)
	if err != nil {
		t.Fatal(err)
	}
	return si
}

// maxWinProb is 2^256 − 1: a ticket that (all but) always wins.
func maxWinProb() *big.Int {
	return new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1))
}

// testRand is the recipient's random number behind the tickets' commitment.
var testRand = big.NewInt(0x5eed)

// ticketFor returns an always-winning ticket from the env's sender to
// recipient for faceValue wei, expiring 10 blocks from now, and the
// sender's signature of it.
func (e *env) ticketFor(t testing.TB, recipient common.Address, nonce uint32, faceValue int64) (*ticket.Ticket, []byte) {
	t.Helper()
	tk := &ticket.Ticket{
		Recipient: recipient, Sender: addr(e.sender),
		FaceValue: big.NewInt(faceValue), WinProb: maxWinProb(), SenderNonce: nonce,
		RecipientRandHash: ticket.RandHash(testRand), ExpirationBlock: e.block(t) + 10,
		ChainID: testChainID, Broker: e.addrs.TicketBroker,
	}
	return tk, sign(t, tk, e.sender)
}

func sign(t testing.TB, tk *ticket.Ticket, key *ecdsa.PrivateKey) []byte {
	t.Helper()
	sig, err := ticket.Sign(tk, key)
	if err != nil {
		t.Fatal(err)
	}
	return sig
}

// fee is what a receipt's transaction cost its sender in gas, in wei.
func fee(r *types.Receipt) *big.Int {
	return new(big.Int).Mul(new(big.Int).SetUint64(r.GasUsed), r.EffectiveGasPrice)
}

// sendUnestimated sends data to the broker from c with a fixed gas limit.
// Gas estimation runs on the latest block, whose number is one less than
// the block the transaction is mined in; skipping it lets a test check a
// block-number boundary in the mined block itself.
func sendUnestimated(ctx context.Context, t testing.TB, c *Client, data []byte) (*types.Receipt, error) {
	t.Helper()
	chainID, err := c.chainIDBig(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return c.tx.send(ctx, chainID, nil, func(opts *bind.TransactOpts) (*types.Transaction, error) {
		opts.GasLimit = 1_000_000
		return bind.Transact(c.brokerC, opts, data)
	})
}
