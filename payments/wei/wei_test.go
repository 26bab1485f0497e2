package wei

import (
	"errors"
	"math/big"
	"testing"

	"gopkg.in/yaml.v3"
)

func TestParse(t *testing.T) {
	amounts := map[string]string{
		"0": "0", "1000": "1000", "20gwei": "20000000000", "0.5eth": "500000000000000000",
		"1 ETH": "1000000000000000000", "3wei": "3", "1.5gwei": "1500000000",
	}
	for in, want := range amounts {
		a, err := ParseAmount(in)
		if err != nil || a.String() != want {
			t.Errorf("%q: %v %v, want %s", in, a, err, want)
		}
	}
	for _, bad := range []string{"", "-1", "1.5", "abc", "1e18", "0.1wei", "1/3"} {
		if _, err := ParseAmount(bad); !errors.Is(err, ErrSyntax) {
			t.Errorf("%q accepted as an amount", bad)
		}
	}
	prices := map[string]*big.Rat{
		"1000": big.NewRat(1000, 1), "1/3": big.NewRat(1, 3), "0.001": big.NewRat(1, 1000),
		"1gwei": big.NewRat(1e9, 1),
	}
	for in, want := range prices {
		p, err := ParsePrice(in)
		if err != nil || p.Rat().Cmp(want) != 0 {
			t.Errorf("%q: %v %v", in, p, err)
		}
	}
}

func TestYAMLRoundTrip(t *testing.T) {
	type cfg struct {
		EV    Amount `yaml:"ev"`
		Price Price  `yaml:"price"`
	}
	var c cfg
	if err := yaml.Unmarshal([]byte("ev: 2gwei\nprice: 1/4\n"), &c); err != nil {
		t.Fatal(err)
	}
	out, err := yaml.Marshal(c)
	if err != nil || string(out) != "ev: \"2000000000\"\nprice: 1/4\n" {
		t.Fatalf("%q %v", out, err)
	}
	var back cfg
	if err := yaml.Unmarshal(out, &back); err != nil || back.EV.String() != "2000000000" || back.Price.String() != "1/4" {
		t.Fatalf("%+v %v", back, err)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"1", "20gwei", "0.5eth", "1/3", "x", "1e9"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if a, err := ParseAmount(s); err == nil {
			if b, err := ParseAmount(a.String()); err != nil || b.Int().Cmp(a.Int()) != 0 {
				t.Fatalf("%q → %s does not round-trip", s, a)
			}
		}
		if p, err := ParsePrice(s); err == nil {
			if q, err := ParsePrice(p.String()); err != nil || q.Rat().Cmp(p.Rat()) != 0 {
				t.Fatalf("%q → %s does not round-trip", s, p)
			}
		}
	})
}
