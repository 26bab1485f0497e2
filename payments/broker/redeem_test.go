package broker

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/castmesh/castmesh/payments/ticket"
)

// fund gives the env's sender a deposit and a reserve for the recipient.
func (e *env) fund(t testing.TB, deposit, reserve int64) {
	t.Helper()
	_, err := e.senderC.FundDepositAndReserve(e.ctx, addr(e.recipient), big.NewInt(deposit), big.NewInt(reserve))
	if err != nil {
		t.Fatal(err)
	}
}

// TestRedeemPaysRecipient redeems winning tickets signed in Go, submitted
// by a third party and by the recipient itself, and measures balances to
// the wei.
func TestRedeemPaysRecipient(t *testing.T) {
	e := newEnv(t)
	ctx := e.ctx
	face := ether(1).Int64()
	e.fund(t, 3*face, 0)

	t.Run("third party submits", func(t *testing.T) {
		tk, sig := e.ticketFor(t, addr(e.recipient), 1, face)
		rb, ob := e.balance(t, addr(e.recipient)), e.balance(t, addr(e.other))
		r, err := e.otherC.Redeem(ctx, tk, sig, testRand)
		if err != nil {
			t.Fatal(err)
		}
		if d := new(big.Int).Sub(e.balance(t, addr(e.recipient)), rb); d.Int64() != face {
			t.Errorf("recipient gained %s wei, want %d", d, face)
		}
		if d := new(big.Int).Sub(ob, e.balance(t, addr(e.other))); d.Cmp(fee(r)) != 0 {
			t.Errorf("redeemer paid %s wei, want its gas %s", d, fee(r))
		}
		checkRedemption(t, e, r, tk, face)
	})
	t.Run("recipient submits", func(t *testing.T) {
		tk, sig := e.ticketFor(t, addr(e.recipient), 2, face)
		rb := e.balance(t, addr(e.recipient))
		r, err := e.recipientC.Redeem(ctx, tk, sig, testRand)
		if err != nil {
			t.Fatal(err)
		}
		want := new(big.Int).Sub(big.NewInt(face), fee(r))
		if d := new(big.Int).Sub(e.balance(t, addr(e.recipient)), rb); d.Cmp(want) != 0 {
			t.Errorf("recipient gained %s wei, want face value − gas = %s", d, want)
		}
		checkRedemption(t, e, r, tk, face)
		t.Logf("gas per redeem (deposit only): %d", r.GasUsed)
	})
	if d := e.info(t, addr(e.sender)).Deposit; d.Int64() != face {
		t.Errorf("deposit left %s, want %d", d, face)
	}
	// The chain's own record: both redemptions, for this recipient only.
	reds, err := e.otherC.Redemptions(ctx, addr(e.recipient), 0)
	if err != nil || len(reds) != 2 || reds[0].Paid.Int64() != face || reds[0].TxHash == (common.Hash{}) ||
		reds[1].Block < reds[0].Block || reds[0].TicketHash == reds[1].TicketHash {
		t.Fatalf("redemptions %+v, %v", reds, err)
	}
	if others, err := e.otherC.Redemptions(ctx, addr(e.other), 0); err != nil || len(others) != 0 {
		t.Fatalf("another recipient's redemptions: %v %v", others, err)
	}
}

func checkRedemption(t *testing.T, e *env, r *types.Receipt, tk *ticket.Ticket, paid int64) {
	t.Helper()
	red, err := e.otherC.Redemption(r)
	if err != nil {
		t.Fatal(err)
	}
	if red.Sender != tk.Sender || red.Recipient != tk.Recipient || red.TicketHash != tk.Hash() ||
		red.FaceValue.Cmp(tk.FaceValue) != 0 || red.Paid.Int64() != paid {
		t.Errorf("redemption %+v, want %d paid for ticket %s", red, paid, tk.Hash())
	}
	if used, err := e.otherC.IsUsed(e.ctx, tk.Hash()); err != nil || !used {
		t.Errorf("IsUsed = %v, %v after redeeming", used, err)
	}
}

// TestRedeemDepositThenReserve checks the payout order: the deposit first,
// then the recipient's reserve, capped at what it holds; another
// recipient's reserve is never touched.
func TestRedeemDepositThenReserve(t *testing.T) {
	e := newEnv(t)
	ctx := e.ctx
	e.fund(t, 100, 50)
	if _, err := e.senderC.FundReserve(ctx, addr(e.other), big.NewInt(70)); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name                  string
		face, paid            int64
		deposit, reserve, tot int64
	}{
		{"deposit covers", 60, 60, 40, 50, 120},
		{"deposit then reserve", 60, 60, 0, 30, 100},
		{"reserve capped", 100, 30, 0, 0, 70},
	}
	for i, s := range steps {
		tk, sig := e.ticketFor(t, addr(e.recipient), uint32(i+1), s.face)
		rb := e.balance(t, addr(e.recipient))
		r, err := e.otherC.Redeem(ctx, tk, sig, testRand)
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		checkRedemption(t, e, r, tk, s.paid)
		if d := new(big.Int).Sub(e.balance(t, addr(e.recipient)), rb); d.Int64() != s.paid {
			t.Errorf("%s: recipient gained %s, want %d", s.name, d, s.paid)
		}
		si := e.info(t, addr(e.sender))
		res, err := e.otherC.ReserveFor(ctx, addr(e.sender), addr(e.recipient))
		if err != nil {
			t.Fatal(err)
		}
		if si.Deposit.Int64() != s.deposit || res.Int64() != s.reserve || si.ReserveTotal.Int64() != s.tot {
			t.Errorf("%s: deposit %s, reserve %s, total %s; want %d, %d, %d",
				s.name, si.Deposit, res, si.ReserveTotal, s.deposit, s.reserve, s.tot)
		}
	}
	// Nothing left for this recipient, though 70 is reserved for another.
	tk, sig := e.ticketFor(t, addr(e.recipient), 9, 1)
	if _, err := e.otherC.Redeem(ctx, tk, sig, testRand); !errors.Is(err, ErrNoFunds) {
		t.Fatalf("redeem with funds reserved only for another recipient: %v", err)
	}
}

// revertCase makes one ticket that the contract must refuse.
type revertCase struct {
	name string
	// make returns the ticket, its signature and the rand to redeem with;
	// it may prepare the chain (seal blocks, unlock the sender).
	make func(t *testing.T, e *env) (*ticket.Ticket, []byte, *big.Int)
	want error
	// revert is the contract's custom error's name.
	revert string
}

func revertCases() []revertCase {
	return []revertCase{
		{"zero recipient", func(t *testing.T, e *env) (*ticket.Ticket, []byte, *big.Int) {
			tk, sig := e.ticketFor(t, common.Address{}, 1, 100)
			return tk, sig, testRand
		}, ErrZeroAddress, "ZeroAddress"},
		{"signed by another key", func(t *testing.T, e *env) (*ticket.Ticket, []byte, *big.Int) {
			tk, _ := e.ticketFor(t, addr(e.recipient), 1, 100)
			return tk, sign(t, tk, e.other), testRand
		}, ErrBadSignature, "InvalidSignature"},
		{"high-s twin", func(t *testing.T, e *env) (*ticket.Ticket, []byte, *big.Int) {
			tk, sig := e.ticketFor(t, addr(e.recipient), 1, 100)
			return tk, highSTwin(t, tk, sig), testRand
		}, ErrBadSignature, "InvalidSignature"},
		{"v is 0 or 1", func(t *testing.T, e *env) (*ticket.Ticket, []byte, *big.Int) {
			tk, sig := e.ticketFor(t, addr(e.recipient), 1, 100)
			sig[64] -= 27
			return tk, sig, testRand
		}, ErrBadSignature, "InvalidSignature"},
		{"EIP-2098 64-byte signature", func(t *testing.T, e *env) (*ticket.Ticket, []byte, *big.Int) {
			tk, sig := e.ticketFor(t, addr(e.recipient), 1, 100)
			return tk, compact(sig), testRand
		}, ErrBadSignature, "InvalidSignature"},
		{"signed for another chain", func(t *testing.T, e *env) (*ticket.Ticket, []byte, *big.Int) {
			tk, _ := e.ticketFor(t, addr(e.recipient), 1, 100)
			tk.ChainID = 1
			return tk, sign(t, tk, e.sender), testRand
		}, ErrBadSignature, "InvalidSignature"},
		{"signed for another broker", func(t *testing.T, e *env) (*ticket.Ticket, []byte, *big.Int) {
			tk, _ := e.ticketFor(t, addr(e.recipient), 1, 100)
			tk.Broker = e.addrs.ServiceRegistry
			return tk, sign(t, tk, e.sender), testRand
		}, ErrBadSignature, "InvalidSignature"},
		{"wrong rand", func(t *testing.T, e *env) (*ticket.Ticket, []byte, *big.Int) {
			tk, sig := e.ticketFor(t, addr(e.recipient), 1, 100)
			return tk, sig, new(big.Int).Add(testRand, big.NewInt(1))
		}, ErrBadRand, "BadRecipientRand"},
		{"already redeemed", func(t *testing.T, e *env) (*ticket.Ticket, []byte, *big.Int) {
			tk, sig := e.ticketFor(t, addr(e.recipient), 1, 100)
			if _, err := e.recipientC.Redeem(e.ctx, tk, sig, testRand); err != nil {
				t.Fatal(err)
			}
			return tk, sig, testRand
		}, ErrTicketUsed, "TicketUsed"},
		{"not winning", func(t *testing.T, e *env) (*ticket.Ticket, []byte, *big.Int) {
			tk, _ := e.ticketFor(t, addr(e.recipient), 1, 100)
			tk.WinProb = new(big.Int)
			return tk, sign(t, tk, e.sender), testRand
		}, ErrNotWinning, "NotWinning"},
		{"expired", func(t *testing.T, e *env) (*ticket.Ticket, []byte, *big.Int) {
			tk, sig := e.ticketFor(t, addr(e.recipient), 1, 100)
			// Redeemable through expirationBlock + validity. Gas is
			// estimated on the latest block, so seal that one too.
			e.chain.advance(int(tk.ExpirationBlock + testDeploy.TicketValidity + 1 - e.block(t)))
			return tk, sig, testRand
		}, ErrTicketExpired, "TicketExpired"},
		{"sender unlocked", func(t *testing.T, e *env) (*ticket.Ticket, []byte, *big.Int) {
			tk, _ := e.ticketFor(t, addr(e.recipient), 1, 100)
			tk.ExpirationBlock += 100
			sig := sign(t, tk, e.sender)
			if _, err := e.senderC.Unlock(e.ctx); err != nil {
				t.Fatal(err)
			}
			e.chain.advance(int(testDeploy.UnlockPeriod))
			return tk, sig, testRand
		}, ErrSenderUnlocked, "SenderUnlocked"},
		{"sender without funds", func(t *testing.T, e *env) (*ticket.Ticket, []byte, *big.Int) {
			tk, _ := e.ticketFor(t, addr(e.recipient), 1, 100)
			tk.Sender = addr(e.other)
			return tk, sign(t, tk, e.other), testRand
		}, ErrNoFunds, "NoFunds"},
	}
}

// TestRedeemReverts checks each of the contract's refusals comes back as
// its sentinel, and that a refused ticket moves no money.
func TestRedeemReverts(t *testing.T) {
	for _, tc := range revertCases() {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			e.fund(t, 1000, 1000)
			tk, sig, rand := tc.make(t, e)
			before := e.info(t, addr(e.sender))
			_, err := e.otherC.Redeem(e.ctx, tk, sig, rand)
			var re *RevertError
			if !errors.Is(err, tc.want) || !errors.Is(err, ErrReverted) || !errors.As(err, &re) || re.Name != tc.revert {
				t.Fatalf("Redeem: %v; want %v (%s)", err, tc.want, tc.revert)
			}
			after := e.info(t, addr(e.sender))
			if after.Deposit.Cmp(before.Deposit) != 0 || after.ReserveTotal.Cmp(before.ReserveTotal) != 0 {
				t.Errorf("a refused ticket moved money: %+v → %+v", before, after)
			}
		})
	}
}

// TestRedeemValidityBoundary checks, in mined blocks, that a ticket is
// good through the last block of its validity period and refused from the
// next one.
func TestRedeemValidityBoundary(t *testing.T) {
	e := newEnv(t)
	e.fund(t, 1000, 0)
	last := e.block(t) + 10 + testDeploy.TicketValidity
	good, goodSig := e.ticketFor(t, addr(e.recipient), 1, 100)
	late, lateSig := e.ticketFor(t, addr(e.recipient), 2, 100)
	pack := func(tk *ticket.Ticket, sig []byte) []byte {
		bt, err := toBinding(tk)
		if err != nil {
			t.Fatal(err)
		}
		return e.otherC.broker.PackRedeemWinningTicket(bt, sig, testRand)
	}
	e.chain.advance(int(last - 1 - e.block(t)))
	r, err := sendUnestimated(e.ctx, t, e.otherC, pack(good, goodSig))
	if err != nil || r.BlockNumber.Uint64() != last {
		t.Fatalf("redeem in the last valid block: %v (block %v, want %d)", err, r.BlockNumber, last)
	}
	r, err = sendUnestimated(e.ctx, t, e.otherC, pack(late, lateSig))
	if !errors.Is(err, ErrTxFailed) || !errors.Is(err, ErrTicketExpired) || r == nil || r.BlockNumber.Uint64() != last+1 {
		t.Fatalf("redeem one block late: %v, receipt %+v", err, r)
	}
	if used, err := e.otherC.IsUsed(e.ctx, late.Hash()); err != nil || used {
		t.Fatalf("the late ticket is marked used (%v)", err)
	}
}

// highSTwin returns the other valid encoding of sig: s' = n − s with the
// recovery id flipped. It recovers to the same signer; the contract must
// still refuse it, or it would be a second draw for the ticket.
func highSTwin(t *testing.T, tk *ticket.Ticket, sig []byte) []byte {
	t.Helper()
	n := crypto.S256().Params().N
	s := new(big.Int).Sub(n, new(big.Int).SetBytes(sig[32:64]))
	twin := make([]byte, 65)
	copy(twin, sig[:32])
	s.FillBytes(twin[32:64])
	twin[64] = 27 + 28 - sig[64]
	raw := append([]byte(nil), twin...)
	raw[64] -= 27
	pub, err := crypto.Ecrecover(tk.SignHash(), raw)
	if err != nil || common.BytesToAddress(crypto.Keccak256(pub[1:])[12:]) != tk.Sender {
		t.Fatalf("the twin does not recover to the sender: %v", err)
	}
	if err := tk.Verify(twin); !errors.Is(err, ticket.ErrHighS) {
		t.Fatalf("Go accepts the high-s twin: %v", err)
	}
	return twin
}

// compact returns sig's EIP-2098 form: r ‖ (v−27)<<255 | s.
func compact(sig []byte) []byte {
	c := append([]byte(nil), sig[:64]...)
	if sig[64] == 28 {
		c[32] |= 0x80
	}
	return c
}

// TestRedeemRace submits the same ticket from two accounts into one block:
// one is paid, the other's transaction fails on chain, and its error says
// why (the ticket was used) as well as that the transaction failed.
func TestRedeemRace(t *testing.T) {
	e := newEnv(t)
	ctx := e.ctx
	e.fund(t, 1000, 0)
	tk, sig := e.ticketFor(t, addr(e.recipient), 1, 100)
	e.chain.manual.Store(true)
	errs := make(chan error, 2)
	for _, c := range []*Client{e.otherC, e.recipientC} {
		go func() {
			_, err := c.Redeem(ctx, tk, sig, testRand)
			errs <- err
		}()
	}
	waitPending(t, e, 2)
	e.chain.sim.Commit()
	var ok, failed int
	for range 2 {
		err := <-errs
		switch {
		case err == nil:
			ok++
		case errors.Is(err, ErrTxFailed) && errors.Is(err, ErrTicketUsed):
			failed++
		default:
			t.Errorf("Redeem: %v", err)
		}
	}
	if ok != 1 || failed != 1 {
		t.Fatalf("%d paid, %d failed; want 1 and 1", ok, failed)
	}
	if d := e.info(t, addr(e.sender)).Deposit; d.Int64() != 900 {
		t.Fatalf("deposit %s, want 900: paid more than once", d)
	}
}

// waitPending polls, with a deadline, until n transactions are in the pool.
func waitPending(t *testing.T, e *env, n int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for {
		pending := 0
		for _, k := range []*ecdsa.PrivateKey{e.sender, e.recipient, e.other} {
			got, err := e.chain.PendingNonceAt(ctx, addr(k))
			if err != nil {
				t.Fatal(err)
			}
			mined, err := e.chain.NonceAt(ctx, addr(k), nil)
			if err != nil {
				t.Fatal(err)
			}
			pending += int(got - mined)
		}
		if pending >= n {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("%d transactions pending, want %d", pending, n)
		case <-tick.C:
		}
	}
}
