package broker

import (
	"errors"
	"math/big"
	"sync"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"gopkg.in/yaml.v3"

	"github.com/castmesh/castmesh/payments/broker/bindings"
	"github.com/castmesh/castmesh/payments/ticket"
)

func TestDeploy(t *testing.T) {
	e := newEnv(t)
	ctx := e.ctx
	if err := e.otherC.Verify(ctx); err != nil {
		t.Fatal(err)
	}
	if got, err := e.otherC.UnlockPeriod(ctx); err != nil || got != testDeploy.UnlockPeriod {
		t.Errorf("unlock period %d, %v; want %d", got, err, testDeploy.UnlockPeriod)
	}
	if got, err := e.otherC.TicketValidity(ctx); err != nil || got != testDeploy.TicketValidity {
		t.Errorf("ticket validity %d, %v; want %d", got, err, testDeploy.TicketValidity)
	}
	if got, err := e.otherC.ChainID(ctx); err != nil || got != testChainID {
		t.Errorf("chain id %d, %v", got, err)
	}
	if e.senderC.Address() != addr(e.sender) || e.senderC.Addresses() != e.addrs {
		t.Error("client does not report its account and addresses")
	}
}

func TestDeployRejectsConfig(t *testing.T) {
	key := fixedKey(t, 1)
	chain := newChain(t, key)
	ctx := testCtx(t)
	_, err := Deploy(ctx, chain, key, DeployConfig{UnlockPeriod: 5, TicketValidity: 5})
	if !errors.Is(err, ErrInvalidConfig) {
		t.Fatalf("Deploy: %v, want ErrInvalidConfig", err)
	}
	// The constructor's own check, decoded from the estimate's revert.
	dec, err := newDecoder()
	if err != nil {
		t.Fatal(err)
	}
	tx := newTransactor(chain, key, dec)
	ctor := bindings.NewTicketBroker().PackConstructor(big.NewInt(5), big.NewInt(5))
	_, err = tx.deploy(ctx, big.NewInt(testChainID), bindings.TicketBrokerMetaData.Bin, ctor)
	var re *RevertError
	if !errors.Is(err, ErrInvalidConfig) || !errors.As(err, &re) || re.Name != "UnlockPeriodTooShort" {
		t.Fatalf("constructor: %v, want UnlockPeriodTooShort", err)
	}
}

func TestDeployConfigValidate(t *testing.T) {
	cases := []struct {
		name string
		cfg  DeployConfig
		ok   bool
	}{
		{"default", DefaultDeployConfig(), true},
		{"unlock just longer", DeployConfig{UnlockPeriod: 2, TicketValidity: 1}, true},
		{"unlock equal to validity", DeployConfig{UnlockPeriod: 5, TicketValidity: 5}, false},
		{"unlock shorter", DeployConfig{UnlockPeriod: 4, TicketValidity: 5}, false},
		{"no validity", DeployConfig{UnlockPeriod: 5}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.cfg.Validate()
			if tc.ok != (err == nil) || (err != nil && !errors.Is(err, ErrInvalidConfig)) {
				t.Fatalf("Validate() = %v", err)
			}
		})
	}
}

func TestAddresses(t *testing.T) {
	a := Addresses{
		TicketBroker:    common.HexToAddress("0x1111111111111111111111111111111111111111"),
		ServiceRegistry: common.HexToAddress("0x2222222222222222222222222222222222222222"),
	}
	out, err := yaml.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	var back Addresses
	if err := yaml.Unmarshal(out, &back); err != nil || back != a {
		t.Fatalf("yaml round trip: %v, %+v from\n%s", err, back, out)
	}
	if err := (Addresses{TicketBroker: a.TicketBroker}).Validate(); !errors.Is(err, ErrInvalidConfig) {
		t.Errorf("missing service_registry: %v", err)
	}
	if _, err := New(newChain(t), Addresses{ServiceRegistry: a.ServiceRegistry}, nil); !errors.Is(err, ErrInvalidConfig) {
		t.Errorf("New without ticket_broker: %v", err)
	}
}

func TestVerifyNoContract(t *testing.T) {
	e := newEnv(t)
	c := e.client(t, nil)
	c.addrs.ServiceRegistry = common.HexToAddress("0x3333333333333333333333333333333333333333")
	if err := c.Verify(e.ctx); !errors.Is(err, ErrNoContract) {
		t.Fatalf("Verify: %v, want ErrNoContract", err)
	}
}

// TestTicketHashMatchesGo checks the contract hashes a ticket exactly as
// payments/ticket does, over edge values of every field.
func TestTicketHashMatchesGo(t *testing.T) {
	e := newEnv(t)
	ctx := e.ctx
	base := ticket.Ticket{
		Recipient: addr(e.recipient), Sender: addr(e.sender),
		FaceValue: big.NewInt(1_000_000_000_000), WinProb: new(big.Int).Rsh(maxWinProb(), 4),
		SenderNonce: 7, RecipientRandHash: ticket.RandHash(testRand), ExpirationBlock: 1234,
		ChainID: testChainID, Broker: e.addrs.TicketBroker,
	}
	cases := []struct {
		name string
		edit func(*ticket.Ticket)
	}{
		{"typical", func(*ticket.Ticket) {}},
		{"max values", func(tk *ticket.Ticket) {
			tk.FaceValue, tk.WinProb, tk.SenderNonce, tk.ExpirationBlock = maxWinProb(), maxWinProb(), ^uint32(0), ^uint64(0)
		}},
		{"zero values", func(tk *ticket.Ticket) {
			tk.FaceValue, tk.WinProb, tk.SenderNonce, tk.ExpirationBlock = nil, new(big.Int), 0, 0
			tk.RecipientRandHash = common.Hash{}
		}},
		{"zero addresses", func(tk *ticket.Ticket) { tk.Recipient, tk.Sender = common.Address{}, common.Address{} }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tk := base
			tc.edit(&tk)
			got, err := e.otherC.TicketHash(ctx, &tk)
			if err != nil || got != tk.Hash() {
				t.Fatalf("contract hash %s (%v), Go hash %s", got, err, tk.Hash())
			}
		})
	}
	// A ticket for another chain or broker hashes differently on chain.
	other := base
	other.ChainID = 1
	if got, err := e.otherC.TicketHash(ctx, &other); err != nil || got == other.Hash() {
		t.Errorf("the contract ignores the chain id (%v)", err)
	}
	other = base
	other.Broker = common.HexToAddress("0x4444444444444444444444444444444444444444")
	if got, err := e.otherC.TicketHash(ctx, &other); err != nil || got == other.Hash() {
		t.Errorf("the contract ignores its address (%v)", err)
	}
}

func TestTicketEncodingErrors(t *testing.T) {
	e := newEnv(t)
	ctx := e.ctx
	tk, sig := e.ticketFor(t, addr(e.recipient), 1, 100)
	neg := *tk
	neg.FaceValue = big.NewInt(-1)
	if _, err := e.otherC.TicketHash(ctx, &neg); !errors.Is(err, ErrBadTicket) {
		t.Errorf("negative face value: %v", err)
	}
	wide := *tk
	wide.WinProb = new(big.Int).Lsh(big.NewInt(1), 256)
	if _, err := e.otherC.Redeem(ctx, &wide, sig, testRand); !errors.Is(err, ErrBadTicket) {
		t.Errorf("257-bit win prob: %v", err)
	}
	if _, err := e.otherC.Redeem(ctx, tk, sig, nil); !errors.Is(err, ErrBadTicket) {
		t.Errorf("nil rand: %v", err)
	}
}

func TestReadOnlyClient(t *testing.T) {
	e := newEnv(t)
	ctx := e.ctx
	ro := e.client(t, nil)
	if ro.Address() != (common.Address{}) {
		t.Error("a read-only client has an address")
	}
	if _, err := ro.FundDeposit(ctx, big.NewInt(1)); !errors.Is(err, ErrReadOnly) {
		t.Errorf("FundDeposit: %v, want ErrReadOnly", err)
	}
	if _, err := ro.SetServiceURI(ctx, "x"); !errors.Is(err, ErrReadOnly) {
		t.Errorf("SetServiceURI: %v, want ErrReadOnly", err)
	}
	if _, err := ro.SenderInfo(ctx, addr(e.sender)); err != nil {
		t.Errorf("SenderInfo: %v", err)
	}
}

func TestServiceRegistry(t *testing.T) {
	e := newEnv(t)
	ctx := e.ctx
	if uri, err := e.otherC.ServiceURI(ctx, addr(e.recipient)); err != nil || uri != "" {
		t.Fatalf("unset URI %q, %v", uri, err)
	}
	for _, uri := range []string{"https://orch.example:8935", "https://127.0.0.1:9000/ünïcode", ""} {
		r, err := e.recipientC.SetServiceURI(ctx, uri)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := e.otherC.ServiceURI(ctx, addr(e.recipient)); err != nil || got != uri {
			t.Fatalf("ServiceURI = %q, %v; want %q", got, err, uri)
		}
		ev, err := bindings.NewServiceRegistry().UnpackServiceURIUpdatedEvent(r.Logs[0])
		if err != nil || ev.Addr != addr(e.recipient) || ev.Uri != uri {
			t.Fatalf("ServiceURIUpdated %+v, %v", ev, err)
		}
	}
	if uri, err := e.otherC.ServiceURI(ctx, addr(e.sender)); err != nil || uri != "" {
		t.Errorf("someone else's URI %q, %v", uri, err)
	}
	// The recipient withdrew its URI; the sender publishes one, changes it.
	for _, uri := range []string{"orch-a.example:8935", "orch-b.example:8935"} {
		if _, err := e.senderC.SetServiceURI(ctx, uri); err != nil {
			t.Fatal(err)
		}
	}
	got, err := e.otherC.Services(ctx, 0)
	if err != nil || len(got) != 1 || got[addr(e.sender)] != "orch-b.example:8935" {
		t.Fatalf("Services = %v, %v; want only the sender's latest", got, err)
	}
}

// TestConcurrentSends checks one client's transactions from many
// goroutines never collide on a nonce.
func TestConcurrentSends(t *testing.T) {
	e := newEnv(t)
	ctx := e.ctx
	const n = 8
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		wg.Go(func() {
			_, err := e.senderC.FundDeposit(ctx, big.NewInt(1000))
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if d := e.info(t, addr(e.sender)).Deposit; d.Cmp(big.NewInt(n*1000)) != 0 {
		t.Fatalf("deposit %s, want %d", d, n*1000)
	}
}
