package e2e

import (
	"context"
	"encoding/json"
	"math/big"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/castmesh/castmesh/payments/broker"
	"github.com/castmesh/castmesh/test/fixture"
	"github.com/castmesh/castmesh/test/harness"
)

// runCommand runs a command to completion (within a minute) and returns
// its combined output.
func runCommand(t *testing.T, bin string, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, bin, args...).CombinedOutput()
	return string(out), err
}

// orchestratorStatus is the part of an orchestrator's /status the tests read.
type orchestratorStatus struct {
	raw      string
	Payments struct {
		Address string `json:"address"`
		Tickets struct {
			Count map[string]int      `json:"count"`
			Value map[string]*big.Int `json:"value"`
		} `json:"tickets"`
		Sessions []struct {
			Sender   string `json:"sender"`
			Session  string `json:"session"`
			Price    string `json:"price"`
			Credited string `json:"credited"`
			Debited  string `json:"debited"`
		} `json:"sessions"`
	} `json:"payments"`
}

func (n *paidNet) orchestratorStatus(i int) orchestratorStatus {
	code, b := harness.Get(n.t, "http://"+n.orchs[i].admin+"/status")
	st := orchestratorStatus{raw: string(b)}
	if code == 200 {
		_ = json.Unmarshal(b, &st)
	}
	return st
}

// winners is how many winning tickets an orchestrator has queued in all.
func (s orchestratorStatus) winners() int {
	n := 0
	for _, c := range s.Payments.Tickets.Count {
		n += c
	}
	return n
}

// sessions sums an orchestrator's credited and debited wei over the
// gateway's sessions.
func (s orchestratorStatus) sessions(t *testing.T, gateway common.Address) (credited, debited *big.Int) {
	credited, debited = new(big.Int), new(big.Int)
	for _, ss := range s.Payments.Sessions {
		if !strings.EqualFold(ss.Sender, gateway.Hex()) {
			continue
		}
		c, ok1 := new(big.Int).SetString(ss.Credited, 10)
		d, ok2 := new(big.Int).SetString(ss.Debited, 10)
		if !ok1 || !ok2 {
			t.Fatalf("session amounts %q %q", ss.Credited, ss.Debited)
		}
		credited.Add(credited, c)
		debited.Add(debited, d)
	}
	return credited, debited
}

// ledger is the on-chain money of a paid network at one moment.
type ledger struct {
	block        uint64
	gatewayFund  *big.Int   // deposit plus every reserve
	orchestrator []*big.Int // account balances
}

func (n *paidNet) client() *broker.Client {
	n.t.Helper()
	bc, err := broker.New(n.eth, n.contracts, nil)
	if err != nil {
		n.t.Fatal(err)
	}
	return bc
}

func (n *paidNet) address(i int) common.Address {
	return crypto.PubkeyToAddress(n.orchs[i].key.PublicKey)
}

func (n *paidNet) gatewayAddress() common.Address { return crypto.PubkeyToAddress(n.gw.key.PublicKey) }

func (n *paidNet) ledger() ledger {
	n.t.Helper()
	ctx, bc := n.t.Context(), n.client()
	block, err := bc.BlockNumber(ctx)
	if err != nil {
		n.t.Fatal(err)
	}
	info, err := bc.SenderInfo(ctx, n.gatewayAddress())
	if err != nil {
		n.t.Fatal(err)
	}
	l := ledger{block: block, gatewayFund: new(big.Int).Add(info.Deposit, info.ReserveTotal)}
	for i := range n.orchs {
		b, err := bc.Balance(ctx, n.address(i))
		if err != nil {
			n.t.Fatal(err)
		}
		l.orchestrator = append(l.orchestrator, b)
	}
	return l
}

// checkSettlement checks what the chain says since before: each
// orchestrator gained exactly what its redeemed tickets paid, less the gas
// of its redemptions; the gateway's funds fell by exactly what all paid;
// no ticket was redeemed twice; every winner the orchestrators queued was
// redeemed. It returns the number of redeemed tickets.
func (n *paidNet) checkSettlement(before ledger) int {
	n.t.Helper()
	ctx, bc := n.t.Context(), n.client()
	after := n.ledger()
	seen := map[common.Hash]bool{}
	total := new(big.Int)
	for i := range n.orchs {
		reds, err := bc.Redemptions(ctx, n.address(i), before.block)
		if err != nil {
			n.t.Fatal(err)
		}
		paid, gas := new(big.Int), new(big.Int)
		for _, r := range reds {
			if seen[r.TicketHash] {
				n.t.Errorf("ticket %s redeemed twice", r.TicketHash.Hex())
			}
			seen[r.TicketHash] = true
			paid.Add(paid, r.Paid)
			receipt, err := n.eth.TransactionReceipt(ctx, r.TxHash)
			if err != nil {
				n.t.Fatal(err)
			}
			gas.Add(gas, new(big.Int).Mul(new(big.Int).SetUint64(receipt.GasUsed), receipt.EffectiveGasPrice))
		}
		gain := new(big.Int).Sub(after.orchestrator[i], before.orchestrator[i])
		if new(big.Int).Add(gain, gas).Cmp(paid) != 0 {
			n.t.Errorf("%s gained %s wei and spent %s on gas, but its %d redeemed tickets paid %s",
				n.orchs[i].name, gain, gas, len(reds), paid)
		}
		// Every queued winner is on chain; "used" ones were redeemed by
		// this orchestrator before a crash let it record so.
		st := n.orchestratorStatus(i)
		if c := st.Payments.Tickets.Count; st.winners() != len(reds) || c["pending"] != 0 || c["failed"] != 0 {
			n.t.Errorf("%s queued %d winners (%v), %d redeemed on chain", n.orchs[i].name, st.winners(), c, len(reds))
		}
		total.Add(total, paid)
	}
	if loss := new(big.Int).Sub(before.gatewayFund, after.gatewayFund); loss.Cmp(total) != 0 {
		n.t.Errorf("the gateway's funds fell by %s wei, the orchestrators were paid %s", loss, total)
	}
	return len(seen)
}

// waitRedeemed waits until no orchestrator has a winner left to redeem.
func (n *paidNet) waitRedeemed(within time.Duration) {
	n.t.Helper()
	for i, o := range n.orchs {
		fixture.Eventually(n.t, within, func() bool {
			st := n.orchestratorStatus(i)
			return st.Payments.Address != "" && st.Payments.Tickets.Count["pending"] == 0
		}, o.name, "to redeem its winners")
	}
}

// checkCredit checks each orchestrator was credited within one ticket EV
// of the price of the pixels the gateway actually received from it.
func (n *paidNet) checkCredit() {
	n.t.Helper()
	for i, o := range n.orchs {
		credited, debited := n.orchestratorStatus(i).sessions(n.t, n.gatewayAddress())
		pixels := metricLabeled(n.t, n.gw.admin+"/metrics", "castmesh_gateway_delivered_pixels_total", o.grpc)
		delivered := new(big.Int).Mul(big.NewInt(pricePerPixel), big.NewInt(pixels))
		if debited.Cmp(delivered) != 0 {
			n.t.Errorf("%s debited %s wei for %d pixels delivered (%s at the price)", o.name, debited, pixels, delivered)
		}
		diff := new(big.Int).Sub(credited, delivered)
		if diff.CmpAbs(big.NewInt(ticketEV)) > 0 {
			n.t.Errorf("%s was credited %s wei for %s wei of pixels delivered: more than one ticket EV apart", o.name, credited, delivered)
		}
		n.t.Logf("%s: %d pixels delivered, credited %s wei, debited %s wei", o.name, pixels, credited, debited)
	}
}
