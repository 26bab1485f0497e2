package chain

import (
	"crypto/ecdsa"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/params"
)

// gethDevKey is go-ethereum's well-known developer key (cmd/utils.DeveloperKey),
// the account `geth --dev` funds; its address is
// 0x71562b71999873DB5b286dF957af199Ec94617F7. Using it as DevKey(0) lets the
// same code deploy and fund on this chain and on geth --dev.
const gethDevKey = "b71c71a67e1177ad4e901695e1b4b9ee17ae16c6668d313eac2f96dbcda3f291"

// DevBalance is what the genesis gives each dev account: one million ether.
func DevBalance() *big.Int {
	return new(big.Int).Mul(big.NewInt(1_000_000), big.NewInt(params.Ether))
}

// DevKey returns dev account i's private key. The keys are PUBLICLY KNOWN
// and deterministic: DevKey(0) is go-ethereum's developer key, and DevKey(i)
// for i ≠ 0 is keccak256("castmesh dev key <i>"), re-hashed in the
// negligible case that is not a valid secp256k1 scalar. Use them on
// development chains only; anyone can spend what they hold elsewhere.
func DevKey(i int) *ecdsa.PrivateKey {
	if i == 0 {
		k, err := crypto.HexToECDSA(gethDevKey)
		if err != nil {
			panic(err) // a constant: cannot happen
		}
		return k
	}
	seed := crypto.Keccak256([]byte(fmt.Sprintf("castmesh dev key %d", i)))
	for {
		if k, err := crypto.ToECDSA(seed); err == nil {
			return k
		}
		seed = crypto.Keccak256(seed)
	}
}

// DevAddress returns dev account i's address.
func DevAddress(i int) common.Address {
	return crypto.PubkeyToAddress(DevKey(i).PublicKey)
}
