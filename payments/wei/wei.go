// Package wei reads and writes amounts of ether and prices per unit in
// configs and commands: "1000" (wei), "20gwei", "0.5eth"; prices also as
// fractions, "1/3" wei per unit. Values keep full precision (big.Int,
// big.Rat) and print back in a form that parses to the same value.
package wei

import (
	"errors"
	"fmt"
	"math/big"
	"strings"
)

// ErrSyntax means a value does not parse.
var ErrSyntax = errors.New("not an amount of wei (like 1000, 20gwei, 0.5eth)")

// units maps suffixes to wei.
func units() map[string]*big.Rat {
	return map[string]*big.Rat{
		"wei":   big.NewRat(1, 1),
		"gwei":  big.NewRat(1_000_000_000, 1),
		"eth":   new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(18), nil)),
		"ether": new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(18), nil)),
	}
}

// parseRat reads "N", "N/D", "1.5", with an optional unit suffix.
func parseRat(s string) (*big.Rat, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	mult := big.NewRat(1, 1)
	for suffix, m := range units() {
		if rest, ok := strings.CutSuffix(s, suffix); ok && (suffix != "wei" || !strings.HasSuffix(rest, "g")) {
			s, mult = strings.TrimSpace(rest), m
			break
		}
	}
	if s == "" || strings.ContainsAny(s, "e+") && !strings.Contains(s, "/") {
		return nil, fmt.Errorf("%w: %q", ErrSyntax, s)
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok || r.Sign() < 0 {
		return nil, fmt.Errorf("%w: %q", ErrSyntax, s)
	}
	return r.Mul(r, mult), nil
}

// Amount is a non-negative whole number of wei.
type Amount struct{ v *big.Int }

// NewAmount wraps x (nil means zero).
func NewAmount(x *big.Int) Amount {
	if x == nil {
		x = new(big.Int)
	}
	return Amount{v: new(big.Int).Set(x)}
}

// ParseAmount reads an amount; a fraction of a wei is an error.
func ParseAmount(s string) (Amount, error) {
	r, err := parseRat(s)
	if err != nil {
		return Amount{}, err
	}
	if !r.IsInt() {
		return Amount{}, fmt.Errorf("%w: %q is not a whole number of wei", ErrSyntax, s)
	}
	return Amount{v: new(big.Int).Set(r.Num())}, nil
}

// Int returns the value (a copy).
func (a Amount) Int() *big.Int {
	if a.v == nil {
		return new(big.Int)
	}
	return new(big.Int).Set(a.v)
}

func (a Amount) String() string { return a.Int().String() }

// MarshalText writes the amount in wei.
func (a Amount) MarshalText() ([]byte, error) { return []byte(a.String()), nil }

// UnmarshalText reads any form ParseAmount takes.
func (a *Amount) UnmarshalText(b []byte) error {
	v, err := ParseAmount(string(b))
	if err != nil {
		return err
	}
	*a = v
	return nil
}

// Price is a non-negative rational number of wei per unit.
type Price struct{ v *big.Rat }

// NewPrice wraps x (nil means zero).
func NewPrice(x *big.Rat) Price {
	if x == nil {
		x = new(big.Rat)
	}
	return Price{v: new(big.Rat).Set(x)}
}

// ParsePrice reads a price.
func ParsePrice(s string) (Price, error) {
	r, err := parseRat(s)
	if err != nil {
		return Price{}, err
	}
	return Price{v: r}, nil
}

// Rat returns the value (a copy).
func (p Price) Rat() *big.Rat {
	if p.v == nil {
		return new(big.Rat)
	}
	return new(big.Rat).Set(p.v)
}

func (p Price) String() string { return p.Rat().RatString() }

// MarshalText writes the price as "N" or "N/D" wei per unit.
func (p Price) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText reads any form ParsePrice takes.
func (p *Price) UnmarshalText(b []byte) error {
	v, err := ParsePrice(string(b))
	if err != nil {
		return err
	}
	*p = v
	return nil
}
