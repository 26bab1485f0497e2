package chain

import (
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

func TestDevKeyZeroIsGethDeveloperKey(t *testing.T) {
	want := common.HexToAddress("0x71562b71999873DB5b286dF957af199Ec94617F7")
	if got := DevAddress(0); got != want {
		t.Fatalf("DevAddress(0) = %s, want geth's developer account %s", got, want)
	}
}

func TestDevKeysAreDeterministicAndDistinct(t *testing.T) {
	seen := map[common.Address]int{}
	for i := range 50 {
		a := DevAddress(i)
		if j, dup := seen[a]; dup {
			t.Fatalf("DevKey(%d) and DevKey(%d) share address %s", i, j, a)
		}
		seen[a] = i
		if again := crypto.PubkeyToAddress(DevKey(i).PublicKey); again != a {
			t.Fatalf("DevKey(%d) is not deterministic", i)
		}
	}
}
