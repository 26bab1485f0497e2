package broker

import (
	"errors"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/castmesh/castmesh/payments/broker/internal/testcontracts"
)

// attacker is a deployed ReentrantRecipient: a ticket recipient that,
// when paid, calls the broker again with a stored payload.
type attacker struct {
	abi  *testcontracts.ReentrantRecipient
	bc   *bind.BoundContract
	addr common.Address
}

func deployAttacker(t *testing.T, e *env) *attacker {
	t.Helper()
	ctx := e.ctx
	chainID, err := e.otherC.chainIDBig(ctx)
	if err != nil {
		t.Fatal(err)
	}
	a, err := e.otherC.tx.deploy(ctx, chainID, testcontracts.ReentrantRecipientMetaData.Bin, nil)
	if err != nil {
		t.Fatal(err)
	}
	rr := testcontracts.NewReentrantRecipient()
	return &attacker{abi: rr, bc: rr.Instance(e.chain, a), addr: a}
}

// arm makes the attacker replay data against the broker when paid.
func (a *attacker) arm(t *testing.T, e *env, data []byte, bubble bool) {
	t.Helper()
	ctx := e.ctx
	chainID, err := e.otherC.chainIDBig(ctx)
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.otherC.tx.send(ctx, chainID, nil, func(opts *bind.TransactOpts) (*types.Transaction, error) {
		return bind.Transact(a.bc, opts, a.abi.PackArm(e.addrs.TicketBroker, data, bubble))
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestReentrancy has a recipient contract call redeemWinningTicket again,
// with the same ticket, from inside its payment. The guard refuses the
// inner call: swallowed, the recipient is paid once; bubbled up, the whole
// redemption fails and the ticket stays unspent.
func TestReentrancy(t *testing.T) {
	e := newEnv(t)
	ctx := e.ctx
	e.fund(t, 10_000, 0)
	a := deployAttacker(t, e)
	dec, err := newDecoder()
	if err != nil {
		t.Fatal(err)
	}

	t.Run("inner call swallowed", func(t *testing.T) {
		tk, sig := e.ticketFor(t, a.addr, 1, 1000)
		bt, err := toBinding(tk)
		if err != nil {
			t.Fatal(err)
		}
		a.arm(t, e, e.otherC.broker.PackRedeemWinningTicket(bt, sig, testRand), false)
		ab := e.balance(t, a.addr)
		if _, err := e.otherC.Redeem(ctx, tk, sig, testRand); err != nil {
			t.Fatal(err)
		}
		if d := new(big.Int).Sub(e.balance(t, a.addr), ab); d.Int64() != 1000 {
			t.Fatalf("attacker gained %s, want exactly one face value (1000)", d)
		}
		if d := e.info(t, addr(e.sender)).Deposit; d.Int64() != 9000 {
			t.Fatalf("deposit %s, want 9000", d)
		}
		calls := callAttacker(t, e, a, a.abi.PackCalls(), a.abi.UnpackCalls)
		ok := callAttacker(t, e, a, a.abi.PackLastOk(), a.abi.UnpackLastOk)
		ret := callAttacker(t, e, a, a.abi.PackLastReturn(), a.abi.UnpackLastReturn)
		if calls.Int64() != 1 || ok {
			t.Fatalf("re-entry: %s calls, ok %v; want 1 refused call", calls, ok)
		}
		if err := dec.decode(ret); !errors.Is(err, ErrReentrancy) {
			t.Fatalf("re-entry refused with %v, want ErrReentrancy", err)
		}
	})

	t.Run("inner failure bubbled", func(t *testing.T) {
		tk, sig := e.ticketFor(t, a.addr, 2, 1000)
		bt, err := toBinding(tk)
		if err != nil {
			t.Fatal(err)
		}
		a.arm(t, e, e.otherC.broker.PackRedeemWinningTicket(bt, sig, testRand), true)
		if _, err := e.otherC.Redeem(ctx, tk, sig, testRand); !errors.Is(err, ErrTransferFailed) {
			t.Fatalf("Redeem: %v, want ErrTransferFailed", err)
		}
		if used, err := e.otherC.IsUsed(ctx, tk.Hash()); err != nil || used {
			t.Fatalf("a failed redemption spent the ticket (%v)", err)
		}
		if d := e.info(t, addr(e.sender)).Deposit; d.Int64() != 9000 {
			t.Fatalf("deposit %s, want 9000", d)
		}
	})
}

func callAttacker[T any](t *testing.T, e *env, a *attacker, data []byte, unpack func([]byte) (T, error)) T {
	t.Helper()
	v, err := bind.Call(a.bc, &bind.CallOpts{Context: e.ctx}, data, unpack)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
