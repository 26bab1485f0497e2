package broker

import (
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/core/types"
)

// TestGasReport logs the gas each operation uses on the simulated chain
// (every fork through Osaka and Amsterdam state gas, so not mainnet
// numbers), for sizing redemption costs and ticket face values.
func TestGasReport(t *testing.T) {
	e := newEnv(t)
	ctx := e.ctx
	report := func(name string, r *types.Receipt, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		t.Logf("%-34s %7d gas", name, r.GasUsed)
	}
	for n := uint64(1); n <= 2; n++ {
		b, err := e.chain.BlockByNumber(ctx, new(big.Int).SetUint64(n))
		if err != nil || len(b.Transactions()) != 1 {
			t.Fatalf("block %d: %v", n, err)
		}
		r, err := e.chain.TransactionReceipt(ctx, b.Transactions()[0].Hash())
		report([]string{"", "deploy TicketBroker", "deploy ServiceRegistry"}[n], r, err)
	}
	r, err := e.senderC.FundDeposit(ctx, big.NewInt(1000))
	report("fundDeposit (first)", r, err)
	r, err = e.senderC.FundDeposit(ctx, big.NewInt(1000))
	report("fundDeposit (top-up)", r, err)
	r, err = e.senderC.FundReserve(ctx, addr(e.recipient), big.NewInt(1000))
	report("fundReserve (first)", r, err)
	r, err = e.senderC.FundDepositAndReserve(ctx, addr(e.recipient), big.NewInt(1), big.NewInt(1))
	report("fundDepositAndReserve (top-up)", r, err)
	tk, sig := e.ticketFor(t, addr(e.recipient), 1, 100)
	r, err = e.recipientC.Redeem(ctx, tk, sig, testRand)
	report("redeem, from deposit", r, err)
	tk, sig = e.ticketFor(t, addr(e.recipient), 2, 2500)
	r, err = e.recipientC.Redeem(ctx, tk, sig, testRand)
	report("redeem, deposit then reserve", r, err)
	r, err = e.senderC.Unlock(ctx)
	report("unlock", r, err)
	r, err = e.senderC.CancelUnlock(ctx)
	report("cancelUnlock", r, err)
	if _, err := e.senderC.Unlock(ctx); err != nil {
		t.Fatal(err)
	}
	e.chain.advance(int(testDeploy.UnlockPeriod))
	r, err = e.senderC.Withdraw(ctx)
	report("withdraw", r, err)
	r, err = e.recipientC.SetServiceURI(ctx, "https://orchestrator.example:8935")
	report("setServiceURI (33 bytes)", r, err)
}
