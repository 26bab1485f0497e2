package ticket

import (
	"crypto/ecdsa"
	"errors"
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// fixedKey returns a deterministic key, so signatures (RFC 6979) and every
// draw below are the same on every run.
func fixedKey(t testing.TB, n byte) *ecdsa.PrivateKey {
	t.Helper()
	k, err := crypto.ToECDSA(common.LeftPadBytes([]byte{n, 0x5e, 0xed}, 32))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func sample(t testing.TB) (*Ticket, *ecdsa.PrivateKey) {
	key := fixedKey(t, 1)
	return &Ticket{
		Recipient: common.HexToAddress("0x1111111111111111111111111111111111111111"),
		Sender:    crypto.PubkeyToAddress(key.PublicKey),
		FaceValue: big.NewInt(1_000_000_000_000), WinProb: new(big.Int).Rsh(maxWinProb(), 4),
		SenderNonce: 7, RecipientRandHash: RandHash(big.NewInt(42)), ExpirationBlock: 1234,
		ChainID: 1337, Broker: common.HexToAddress("0x2222222222222222222222222222222222222222"),
	}, key
}

func TestPackedLayout(t *testing.T) {
	tk, _ := sample(t)
	b := tk.Packed()
	if len(b) != 252 {
		t.Fatalf("packed %d bytes", len(b))
	}
	if b[20+20+32*2+31] != 7 || new(big.Int).SetBytes(b[40+32*5:40+32*6]).Uint64() != 1337 {
		t.Fatal("nonce or chain id not where abi.encodePacked puts them")
	}
	other := *tk
	other.ChainID = 1
	if other.Hash() == tk.Hash() {
		t.Fatal("the chain id is not in the hash")
	}
	other = *tk
	other.Broker = common.Address{}
	if other.Hash() == tk.Hash() {
		t.Fatal("the broker is not in the hash")
	}
}

func TestVerify(t *testing.T) {
	tk, key := sample(t)
	sig, err := Sign(tk, key)
	if err != nil {
		t.Fatal(err)
	}
	if sig[64] != 27 && sig[64] != 28 {
		t.Fatalf("v = %d", sig[64])
	}
	highS := func() []byte {
		// The twin (r, n − s, v ^ 1) recovers the same key.
		s := new(big.Int).SetBytes(sig[32:64])
		twin := append([]byte{}, sig...)
		copy(twin[32:64], common.LeftPadBytes(new(big.Int).Sub(crypto.S256().Params().N, s).Bytes(), 32))
		twin[64] = 27 + ((twin[64] - 27) ^ 1)
		return twin
	}
	otherKeySig, _ := Sign(tk, fixedKey(t, 2))
	tests := []struct {
		name string
		sig  []byte
		edit func(*Ticket)
		want error
	}{
		{"valid", sig, nil, nil},
		{"short", sig[:64], nil, ErrSignatureLength},
		{"long", append(append([]byte{}, sig...), 0), nil, ErrSignatureLength},
		{"v as 0/1", append(append([]byte{}, sig[:64]...), sig[64]-27), nil, ErrBadV},
		{"high s twin", highS(), nil, ErrHighS},
		{"signed by another key", otherKeySig, nil, ErrBadSignature},
		{"tampered face value", sig, func(x *Ticket) { x.FaceValue = big.NewInt(2) }, ErrBadSignature},
		{"another chain", sig, func(x *Ticket) { x.ChainID = 1 }, ErrBadSignature},
		{"another broker", sig, func(x *Ticket) { x.Broker = common.Address{1} }, ErrBadSignature},
		{"garbage", make([]byte, 65), nil, ErrBadV},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := *tk
			if tt.edit != nil {
				tt.edit(&x)
			}
			if err := x.Verify(tt.sig); !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
		})
	}
}

func TestWinProbAndEV(t *testing.T) {
	face := big.NewInt(1_000_000)
	for _, ev := range []*big.Rat{big.NewRat(1000, 1), big.NewRat(1, 3), big.NewRat(1_000_000, 1), big.NewRat(5_000_000, 1)} {
		p := WinProbFor(ev, face)
		got := EV(face, p)
		want := ev
		if ev.Cmp(new(big.Rat).SetInt(face)) > 0 {
			want = new(big.Rat).SetInt(face) // certain win
		}
		diff, _ := new(big.Rat).Sub(want, got).Float64()
		if diff < 0 || diff > 1e-60 {
			t.Errorf("ev %s: got %s (diff %g)", ev.RatString(), got.FloatString(6), diff)
		}
	}
	if WinProbFor(big.NewRat(1, 1), big.NewInt(0)).Sign() != 0 {
		t.Error("zero face value must never win")
	}
}

// TestWinnersMatchEV draws 10,000 tickets at two win probabilities: the
// winners' total face value must lie within 3 standard deviations of the
// summed expected value. Keys and random numbers are seeded, so the draw is
// the same on every run.
func TestWinnersMatchEV(t *testing.T) {
	for _, odds := range []int64{10, 100} {
		tk, key := sample(t)
		tk.FaceValue = big.NewInt(1_000_000_000)
		tk.WinProb = new(big.Int).Div(maxWinProb(), big.NewInt(odds))
		rng := rand.New(rand.NewPCG(uint64(odds), 99))
		const n = 10_000
		winners := 0
		for i := range n {
			tk.SenderNonce = uint32(i)
			r := new(big.Int).SetUint64(rng.Uint64())
			tk.RecipientRandHash = RandHash(r)
			sig, err := Sign(tk, key)
			if err != nil {
				t.Fatal(err)
			}
			if Wins(sig, r, tk.WinProb) {
				winners++
			}
		}
		face, _ := new(big.Rat).SetInt(tk.FaceValue).Float64()
		ev, _ := EV(tk.FaceValue, tk.WinProb).Float64()
		p := 1 / float64(odds)
		total, want := float64(winners)*face, n*ev
		sigma := face * math.Sqrt(n*p*(1-p))
		t.Logf("1/%d: %d winners, paid %.0f, EV sum %.0f, σ %.0f (%.2fσ)", odds, winners, total, want, sigma, (total-want)/sigma)
		if math.Abs(total-want) > 3*sigma {
			t.Errorf("1/%d: winners paid %.0f against an EV sum of %.0f: more than 3σ (%.0f) apart", odds, total, want, sigma)
		}
	}
}

func TestDecodeFields(t *testing.T) {
	if _, err := Uint256(make([]byte, 33)); !errors.Is(err, ErrBadField) {
		t.Error("33-byte integer accepted")
	}
	if _, err := Address(make([]byte, 19)); !errors.Is(err, ErrBadField) {
		t.Error("19-byte address accepted")
	}
	if _, err := Hash32(make([]byte, 31)); !errors.Is(err, ErrBadField) {
		t.Error("31-byte hash accepted")
	}
}

func FuzzVerify(f *testing.F) {
	tk, key := sample(f)
	sig, _ := Sign(tk, key)
	f.Add(sig, uint32(7), uint64(1337))
	f.Add(make([]byte, 65), uint32(0), uint64(0))
	f.Fuzz(func(t *testing.T, sig []byte, nonce uint32, chain uint64) {
		x := *tk
		x.SenderNonce, x.ChainID = nonce, chain
		err := x.Verify(sig)
		if err == nil && (nonce != 7 || chain != 1337) {
			// Only the one signed ticket may verify.
			t.Fatalf("a forged ticket verified (nonce %d chain %d)", nonce, chain)
		}
	})
}
