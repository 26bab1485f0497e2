package e2e

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/crypto"
)

// fundsStatus is what `castmesh gateway status` prints.
type fundsStatus struct {
	Deposit       string `json:"deposit"`
	ReserveTotal  string `json:"reserve_total"`
	WithdrawBlock uint64 `json:"withdraw_block"`
}

func parseFunds(t *testing.T, out string) fundsStatus {
	t.Helper()
	var st fundsStatus
	if err := json.Unmarshal([]byte(out[strings.Index(out, "{"):]), &st); err != nil {
		t.Fatalf("status output %q: %v", out, err)
	}
	return st
}

// TestGatewayOperatorCommands drives a gateway's funds on chain with its
// operator commands: deposit, reserve, unlock, an early withdraw refused
// with the contract's reason, cancel-unlock, status.
func TestGatewayOperatorCommands(t *testing.T) {
	env := embeddedChain(t, 2)
	n := startPaidNet(t, env, 0)
	cfg := n.gw.config
	st := parseFunds(t, n.operator("gateway", cfg, "deposit", "1.5eth"))
	if st.Deposit != "1.500000000000000000 ETH" || st.WithdrawBlock != 0 {
		t.Fatalf("after deposit: %+v", st)
	}
	orch := crypto.PubkeyToAddress(env.keys[1].PublicKey).Hex()
	if st = parseFunds(t, n.operator("gateway", cfg, "reserve", orch, "250000gwei")); st.ReserveTotal != "0.000250000000000000 ETH" {
		t.Fatalf("after reserve: %+v", st)
	}
	if st = parseFunds(t, n.operator("gateway", cfg, "unlock")); st.WithdrawBlock == 0 {
		t.Fatalf("after unlock: %+v", st)
	}
	out, err := runCommand(t, binary, "gateway", "withdraw", "--config", cfg)
	if err == nil || !strings.Contains(out, "unlock") {
		t.Fatalf("an early withdraw: %v\n%s", err, out)
	}
	if st = parseFunds(t, n.operator("gateway", cfg, "cancel-unlock")); st.WithdrawBlock != 0 || st.Deposit != "1.500000000000000000 ETH" {
		t.Fatalf("after cancel-unlock: %+v", st)
	}
	for _, bad := range [][]string{{"deposit", "lots"}, {"deposit"}, {"reserve", "0x12", "1eth"}} {
		if out, err := runCommand(t, binary, append([]string{"gateway", bad[0], "--config", cfg}, bad[1:]...)...); err == nil {
			t.Errorf("castmesh gateway %v was accepted:\n%s", bad, out)
		}
	}
}
