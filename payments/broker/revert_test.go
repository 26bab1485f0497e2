package broker

import (
	"bytes"
	"errors"
	"fmt"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/castmesh/castmesh/payments/broker/bindings"
)

func testDecoder(t testing.TB) *revertDecoder {
	t.Helper()
	d, err := newDecoder()
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestEveryErrorHasSentinel keeps sentinelFor in step with the contract:
// a custom error added to TicketBroker.sol must get a Go sentinel.
func TestEveryErrorHasSentinel(t *testing.T) {
	a, err := bindings.TicketBrokerMetaData.ParseABI()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[error]string{}
	for name := range a.Errors {
		s := sentinelFor(name)
		if s == nil {
			t.Errorf("custom error %s has no sentinel", name)
			continue
		}
		if other, dup := seen[s]; dup && !errors.Is(s, ErrInvalidConfig) {
			t.Errorf("%s and %s share sentinel %v", name, other, s)
		}
		seen[s] = name
	}
}

func TestDecodeRevert(t *testing.T) {
	d := testDecoder(t)
	a, err := bindings.TicketBrokerMetaData.ParseABI()
	if err != nil {
		t.Fatal(err)
	}
	hash := common.HexToHash("0xabcd")
	used, err := a.Errors["TicketUsed"].Inputs.Pack(hash)
	if err != nil {
		t.Fatal(err)
	}
	usedID := a.Errors["TicketUsed"].ID
	used = append(usedID[:4:4], used...)
	strType, _ := abi.NewType("string", "", nil)
	reason, err := abi.Arguments{{Type: strType}}.Pack("nope")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name     string
		data     []byte
		want     error
		revert   string
		firstArg any
	}{
		{"custom error with args", used, ErrTicketUsed, "TicketUsed", [32]byte(hash)},
		{"custom error without args", selector(a, "NotWinning"), ErrNotWinning, "NotWinning", nil},
		{"Error(string)", append([]byte{0x08, 0xc3, 0x79, 0xa0}, reason...), ErrReverted, "Error", "nope"},
		{"unknown selector", []byte{1, 2, 3, 4}, ErrReverted, "", nil},
		{"short", []byte{1, 2}, ErrReverted, "", nil},
		{"empty", nil, ErrReverted, "", nil},
		{"truncated args", used[:20], ErrReverted, "", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			re := d.decode(tc.data)
			if !errors.Is(re, tc.want) || !errors.Is(re, ErrReverted) || re.Name != tc.revert {
				t.Fatalf("decode = %v (%q), want %v (%q)", re, re.Name, tc.want, tc.revert)
			}
			if tc.firstArg != nil && (len(re.Args) == 0 || re.Args[0] != tc.firstArg) {
				t.Fatalf("args %v, want first %v", re.Args, tc.firstArg)
			}
			if re.Error() == "" {
				t.Fatal("empty message")
			}
		})
	}
}

func selector(a *abi.ABI, name string) []byte {
	id := a.Errors[name].ID
	return id[:4]
}

// rpcError is a JSON-RPC error as ethclient returns one.
type rpcError struct {
	code int
	data any
}

func (e rpcError) Error() string  { return fmt.Sprintf("rpc error %d", e.code) }
func (e rpcError) ErrorCode() int { return e.code }
func (e rpcError) ErrorData() any { return e.data }

var (
	_ rpc.Error     = rpcError{}
	_ rpc.DataError = rpcError{}
)

func TestWrapRPCError(t *testing.T) {
	d := testDecoder(t)
	a, err := bindings.TicketBrokerMetaData.ParseABI()
	if err != nil {
		t.Fatal(err)
	}
	sel := common.Bytes2Hex(selector(a, "NoFunds"))
	cases := []struct {
		name   string
		err    error
		want   error
		revert bool
	}{
		{"revert with data", fmt.Errorf("estimate: %w", rpcError{3, "0x" + sel}), ErrNoFunds, true},
		{"revert without data", rpcError{3, "0x"}, ErrReverted, true},
		{"other rpc error", rpcError{-32000, "0x" + sel}, nil, false},
		{"transport error", errors.New("connection refused"), nil, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := d.wrap(tc.err)
			var re *RevertError
			if errors.As(got, &re) != tc.revert {
				t.Fatalf("wrap(%v) = %v; revert %v", tc.err, got, tc.revert)
			}
			if tc.revert && !errors.Is(got, tc.want) {
				t.Fatalf("wrap(%v) = %v, want %v", tc.err, got, tc.want)
			}
			if !tc.revert && got != tc.err { //nolint:errorlint // the very same error value, unwrapped
				t.Fatalf("wrap changed a non-revert error: %v", got)
			}
		})
	}
	if d.wrap(nil) != nil {
		t.Fatal("wrap(nil) != nil")
	}
}

// FuzzDecodeRevert feeds arbitrary revert data to the decoder: it must
// never panic, must always report a revert, and must name an error only
// when the data starts with that error's selector and re-encodes from its
// decoded arguments.
func FuzzDecodeRevert(f *testing.F) {
	a, err := bindings.TicketBrokerMetaData.ParseABI()
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range a.Errors {
		args := make([]any, len(e.Inputs))
		for i, in := range e.Inputs {
			switch in.Type.T {
			case abi.AddressTy:
				args[i] = common.HexToAddress("0x1234")
			case abi.FixedBytesTy:
				args[i] = [32]byte{1, 2, 3}
			default:
				args[i] = big.NewInt(int64(i + 1))
			}
		}
		packed, err := e.Inputs.Pack(args...)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(append(e.ID[:4:4], packed...))
	}
	f.Add([]byte{})
	f.Add([]byte{0x08, 0xc3, 0x79, 0xa0})
	f.Add([]byte{0x4e, 0x48, 0x7b, 0x71, 0, 0, 0})
	d := testDecoder(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		re := d.decode(data)
		if re == nil || !errors.Is(re, ErrReverted) || !bytes.Equal(re.Data, data) {
			t.Fatalf("decode(%x) = %v", data, re)
		}
		_ = re.Error()
		if re.Name == "" {
			return
		}
		var e abi.Error
		for _, cand := range d.errs {
			if cand.Name == re.Name {
				e = cand
			}
		}
		if !bytes.Equal(data[:4], e.ID[:4]) {
			t.Fatalf("named %s for selector %x", re.Name, data[:4])
		}
		if _, err := e.Inputs.Pack(re.Args...); err != nil {
			t.Fatalf("decoded args of %s do not re-encode: %v", re.Name, err)
		}
	})
}
