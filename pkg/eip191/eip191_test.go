package eip191

import (
	"errors"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

func TestSignRecover(t *testing.T) {
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	hash := crypto.Keccak256Hash([]byte("renditions"))
	sig, err := Sign(hash, key)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := Recover(hash, sig); err != nil || got != crypto.PubkeyToAddress(key.PublicKey) {
		t.Fatalf("recovered %s, %v", got.Hex(), err)
	}
	other := crypto.Keccak256Hash([]byte("other"))
	if got, _ := Recover(other, sig); got == crypto.PubkeyToAddress(key.PublicKey) {
		t.Error("the signature recovers its signer over another hash")
	}
	bad := func(mut func([]byte) []byte, want error) {
		t.Helper()
		s := mut(append([]byte(nil), sig...))
		if _, err := Recover(hash, s); !errors.Is(err, want) {
			t.Errorf("got %v, want %v", err, want)
		}
	}
	bad(func(s []byte) []byte { return s[:64] }, ErrSignatureLength)
	bad(func(s []byte) []byte { s[64] = 2; return s }, ErrBadV)
	bad(func(s []byte) []byte {
		// s → n − s: the malleated twin.
		n := crypto.S256().Params().N
		copy(s[32:64], common.LeftPadBytes(new(big.Int).Sub(n, new(big.Int).SetBytes(s[32:64])).Bytes(), 32))
		return s
	}, ErrHighS)
}

func FuzzRecover(f *testing.F) {
	f.Add(make([]byte, 65), []byte("x"))
	f.Fuzz(func(t *testing.T, sig, msg []byte) {
		_, _ = Recover(crypto.Keccak256Hash(msg), sig)
	})
}
