package broker

import (
	"crypto/ecdsa"
	"errors"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/core/types"
)

func TestFunding(t *testing.T) {
	e := newEnv(t)
	ctx := e.ctx
	sb := e.balance(t, addr(e.sender))
	var gas big.Int
	for _, step := range []func() error{
		func() error { r, err := e.senderC.FundDeposit(ctx, big.NewInt(100)); addFee(&gas, r); return err },
		func() error {
			r, err := e.senderC.FundReserve(ctx, addr(e.recipient), big.NewInt(40))
			addFee(&gas, r)
			return err
		},
		func() error {
			r, err := e.senderC.FundDepositAndReserve(ctx, addr(e.recipient), big.NewInt(5), big.NewInt(2))
			addFee(&gas, r)
			return err
		},
		func() error {
			r, err := e.senderC.FundDepositAndReserve(ctx, addr(e.other), big.NewInt(0), big.NewInt(9))
			addFee(&gas, r)
			return err
		},
	} {
		if err := step(); err != nil {
			t.Fatal(err)
		}
	}
	si := e.info(t, addr(e.sender))
	if si.Deposit.Int64() != 105 || si.ReserveTotal.Int64() != 51 || si.Unlocking() {
		t.Fatalf("sender info %+v; want deposit 105, reserves 51, locked", si)
	}
	for _, c := range []struct {
		name string
		who  *big.Int
		want int64
	}{
		{"recipient", reserveFor(t, e, e.recipient), 42},
		{"other", reserveFor(t, e, e.other), 9},
	} {
		if c.who.Int64() != c.want {
			t.Errorf("reserve for %s %s, want %d", c.name, c.who, c.want)
		}
	}
	spent := new(big.Int).Sub(sb, e.balance(t, addr(e.sender)))
	if want := new(big.Int).Add(big.NewInt(156), &gas); spent.Cmp(want) != 0 {
		t.Errorf("sender spent %s, want 156 wei + gas = %s", spent, want)
	}
}

func TestFundingErrors(t *testing.T) {
	e := newEnv(t)
	ctx := e.ctx
	cases := []struct {
		name string
		run  func() error
		want error
	}{
		{"zero deposit", func() error { _, err := e.senderC.FundDeposit(ctx, new(big.Int)); return err }, ErrZeroValue},
		{"zero reserve", func() error {
			_, err := e.senderC.FundReserve(ctx, addr(e.recipient), new(big.Int))
			return err
		}, ErrZeroValue},
		{"negative", func() error { _, err := e.senderC.FundDeposit(ctx, big.NewInt(-1)); return err }, ErrBadAmount},
		{"nil", func() error { _, err := e.senderC.FundDeposit(ctx, nil); return err }, ErrBadAmount},
		{"reserve for nobody", func() error {
			_, err := e.senderC.FundReserve(ctx, [20]byte{}, big.NewInt(1))
			return err
		}, ErrZeroAddress},
		{"value is not the sum", func() error {
			data := e.senderC.broker.PackFundDepositAndReserve(addr(e.recipient), big.NewInt(1), big.NewInt(2))
			_, err := e.senderC.transact(ctx, e.senderC.brokerC, big.NewInt(4), data)
			return err
		}, ErrWrongValue},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.run(); !errors.Is(err, tc.want) {
				t.Fatalf("%v, want %v", err, tc.want)
			}
		})
	}
}

// TestUnlockWithdraw walks a sender through unlock, an early withdraw, and
// the withdraw that pays everything back; its reserves are gone afterwards.
func TestUnlockWithdraw(t *testing.T) {
	e := newEnv(t)
	ctx := e.ctx
	if _, err := e.senderC.Withdraw(ctx); !errors.Is(err, ErrNotUnlocking) {
		t.Fatalf("withdraw while locked: %v", err)
	}
	if _, err := e.senderC.Unlock(ctx); !errors.Is(err, ErrNoFunds) {
		t.Fatalf("unlock with nothing: %v", err)
	}
	e.fund(t, 1000, 300)
	r, err := e.senderC.Unlock(ctx)
	if err != nil {
		t.Fatal(err)
	}
	wantBlock := r.BlockNumber.Uint64() + testDeploy.UnlockPeriod
	if si := e.info(t, addr(e.sender)); si.WithdrawBlock != wantBlock || !si.Unlocking() {
		t.Fatalf("withdraw block %d, want %d", si.WithdrawBlock, wantBlock)
	}
	if _, err := e.senderC.Unlock(ctx); !errors.Is(err, ErrUnlockInProgress) {
		t.Fatalf("second unlock: %v", err)
	}
	if _, err := e.senderC.Withdraw(ctx); !errors.Is(err, ErrUnlockNotReady) {
		t.Fatalf("early withdraw: %v", err)
	}
	// Withdraw is mined in the next block: seal up to two before, so the
	// first try lands one block early, the second exactly on time.
	e.chain.advance(int(wantBlock - 2 - e.block(t)))
	_, err = sendUnestimated(e.ctx, t, e.senderC, e.senderC.broker.PackWithdraw())
	if !errors.Is(err, ErrTxFailed) || !errors.Is(err, ErrUnlockNotReady) {
		t.Fatalf("withdraw mined one block early: %v", err)
	}
	sb := e.balance(t, addr(e.sender))
	r, err = sendUnestimated(e.ctx, t, e.senderC, e.senderC.broker.PackWithdraw())
	if err != nil {
		t.Fatal(err)
	}
	if r.BlockNumber.Uint64() != wantBlock {
		t.Fatalf("withdrawn in block %d, want %d", r.BlockNumber, wantBlock)
	}
	got := new(big.Int).Sub(e.balance(t, addr(e.sender)), sb)
	if want := new(big.Int).Sub(big.NewInt(1300), fee(r)); got.Cmp(want) != 0 {
		t.Fatalf("withdraw paid %s net, want 1300 − gas = %s", got, want)
	}
	if si := e.info(t, addr(e.sender)); si.Deposit.Sign() != 0 || si.ReserveTotal.Sign() != 0 || si.Unlocking() {
		t.Fatalf("after withdraw %+v", si)
	}
	if res := reserveFor(t, e, e.recipient); res.Sign() != 0 {
		t.Fatalf("reserve %s survived the withdraw", res)
	}
	// A fresh reserve starts from zero (a new epoch), not from the old one.
	if _, err := e.senderC.FundReserve(ctx, addr(e.recipient), big.NewInt(7)); err != nil {
		t.Fatal(err)
	}
	if res := reserveFor(t, e, e.recipient); res.Int64() != 7 {
		t.Fatalf("reserve after refunding %s, want 7", res)
	}
}

func TestCancelUnlock(t *testing.T) {
	cases := []struct {
		name   string
		cancel func(e *env) error
	}{
		{"cancelUnlock", func(e *env) error { _, err := e.senderC.CancelUnlock(e.ctx); return err }},
		{"own deposit", func(e *env) error { _, err := e.senderC.FundDeposit(e.ctx, big.NewInt(1)); return err }},
		{"own reserve", func(e *env) error {
			_, err := e.senderC.FundReserve(e.ctx, addr(e.other), big.NewInt(1))
			return err
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			e.fund(t, 100, 0)
			if _, err := e.senderC.CancelUnlock(e.ctx); !errors.Is(err, ErrNotUnlocking) {
				t.Fatalf("cancel while locked: %v", err)
			}
			if _, err := e.senderC.Unlock(e.ctx); err != nil {
				t.Fatal(err)
			}
			if err := tc.cancel(e); err != nil {
				t.Fatal(err)
			}
			if si := e.info(t, addr(e.sender)); si.Unlocking() {
				t.Fatalf("still unlocking: %+v", si)
			}
			// Locked again: a ticket redeems even after the old withdraw block.
			e.chain.advance(int(testDeploy.UnlockPeriod))
			tk, sig := e.ticketFor(t, addr(e.recipient), 1, 10)
			if _, err := e.otherC.Redeem(e.ctx, tk, sig, testRand); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestOthersCannotTouchUnlock checks nothing another account does moves a
// sender's unlock: Livepeer's fundDepositAndReserveFor let anyone cancel
// it (livepeer/protocol d153b78).
func TestOthersCannotTouchUnlock(t *testing.T) {
	e := newEnv(t)
	ctx := e.ctx
	e.fund(t, 100, 0)
	if _, err := e.senderC.Unlock(ctx); err != nil {
		t.Fatal(err)
	}
	want := e.info(t, addr(e.sender)).WithdrawBlock
	steps := []struct {
		name string
		run  func() error
		want error
	}{
		{"fund own deposit", func() error { _, err := e.otherC.FundDeposit(ctx, big.NewInt(5)); return err }, nil},
		{"reserve for the sender", func() error {
			_, err := e.otherC.FundReserve(ctx, addr(e.sender), big.NewInt(5))
			return err
		}, nil},
		{"deposit and reserve for the sender", func() error {
			_, err := e.otherC.FundDepositAndReserve(ctx, addr(e.sender), big.NewInt(1), big.NewInt(1))
			return err
		}, nil},
		{"cancel unlock", func() error { _, err := e.otherC.CancelUnlock(ctx); return err }, ErrNotUnlocking},
		{"unlock and cancel its own", func() error {
			if _, err := e.otherC.Unlock(ctx); err != nil {
				return err
			}
			_, err := e.otherC.CancelUnlock(ctx)
			return err
		}, nil},
		{"withdraw", func() error { _, err := e.otherC.Withdraw(ctx); return err }, ErrNotUnlocking},
	}
	for _, s := range steps {
		if err := s.run(); !errors.Is(err, s.want) {
			t.Fatalf("%s: %v, want %v", s.name, err, s.want)
		}
		if got := e.info(t, addr(e.sender)).WithdrawBlock; got != want {
			t.Fatalf("%s moved the sender's withdraw block from %d to %d", s.name, want, got)
		}
	}
}

func reserveFor(t *testing.T, e *env, recipient *ecdsa.PrivateKey) *big.Int {
	t.Helper()
	r, err := e.otherC.ReserveFor(e.ctx, addr(e.sender), addr(recipient))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// addFee adds a receipt's gas cost to sum.
func addFee(sum *big.Int, r *types.Receipt) {
	if r != nil {
		sum.Add(sum, fee(r))
	}
}
