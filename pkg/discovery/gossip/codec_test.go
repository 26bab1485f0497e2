package gossip

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
)

// encode writes any message the way the package's encoders do.
func encode(m message) []byte {
	switch m.Kind {
	case kindRecord:
		return encodeRecord(m.Records[0])
	case kindDirect:
		return encodeDirect(m.Addr, m.Records[0])
	case kindHello:
		return encodeHello(m.Addr, m.From)
	case kindSync:
		return encodeSync(m.From, m.Records)
	case kindMeta:
		return encodeMeta(m.Role, m.Signer)
	}
	return []byte{m.Kind}
}

func rec(name string, boot, version uint64, state string) record {
	return record{Name: name, Boot: boot, Version: version, State: json.RawMessage(state), Sig: make([]byte, sigLen)}
}

// codecCases are shared by the round-trip test and the fuzz corpus.
var codecCases = []struct {
	name string
	msg  message
}{
	{"record", message{Kind: kindRecord, Records: []record{rec("orch-1", 1700000000000000000, 3, `{"addr":"10.0.0.1:8935"}`)}}},
	{"record max boot", message{Kind: kindRecord, Records: []record{rec("é", ^uint64(0), ^uint64(0), `0`)}}},
	{"direct", message{Kind: kindDirect, Addr: "127.0.0.1:7946", From: "gw", Records: []record{rec("gw", 5, 1, `["s1","s2"]`)}}},
	{"direct ipv6", message{Kind: kindDirect, Addr: "[::1]:1", From: "x", Records: []record{rec("x", 0, 1, `null`)}}},
	{"hello", message{Kind: kindHello, Addr: "10.1.2.3:7946", From: "gateway-a"}},
	{"empty sync", message{Kind: kindSync, From: "n"}},
	{"sync", message{Kind: kindSync, From: "a", Records: []record{rec("a", 1, 1, `{}`), rec("b", 2, 9, `"x"`)}}},
	{"meta", message{Kind: kindMeta, Role: RoleOrchestrator}},
	{"large state", message{Kind: kindRecord, Records: []record{rec("big", 1, 1, `"`+strings.Repeat("a", MaxStateSize-2)+`"`)}}},
}

func TestCodecRoundTrip(t *testing.T) {
	for _, tc := range codecCases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := decodeMessage(encode(tc.msg))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.msg) {
				t.Errorf("decoded %+v, want %+v", got, tc.msg)
			}
		})
	}
}

func TestDecodeRejects(t *testing.T) {
	good := encodeRecord(rec("n", 1, 1, `{}`))
	for _, tc := range []struct {
		name string
		b    []byte
	}{
		{"empty", nil},
		{"unknown kind", []byte{9, 1, 'n'}},
		{"kind only", []byte{kindRecord}},
		{"truncated", good[:len(good)-1]},
		{"trailing byte", append(append([]byte{}, good...), 0)},
		{"version 0", encodeRecord(rec("n", 1, 0, `{}`))},
		{"state not JSON", encodeRecord(rec("n", 1, 1, `{`))},
		{"empty state", encodeRecord(rec("n", 1, 1, ``))},
		{"state too large", encodeRecord(rec("n", 1, 1, `"`+strings.Repeat("a", MaxStateSize-1)+`"`))},
		{"empty name", encodeRecord(rec("", 1, 1, `{}`))},
		{"name too long", encodeRecord(rec(strings.Repeat("n", maxNameLen+1), 1, 1, `{}`))},
		{"name not UTF-8", encodeRecord(rec("\xff", 1, 1, `{}`))},
		{"overlong varint", []byte{kindRecord, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}},
		{"length past end", []byte{kindMeta, 5, 'a'}},
		{"sync count too large", []byte{kindSync, 1, 'a', 0xff, 0xff, 0x03}},
		{"role too long", encodeMeta(strings.Repeat("r", maxRoleLen+1), common.Address{})},
		{"hello host name", encodeHello("localhost:7946", "a")},
		{"hello no port", encodeHello("10.0.0.1", "a")},
		{"hello bad port", encodeHello("10.0.0.1:70000", "a")},
		{"direct bad addr", encodeDirect("x", rec("n", 1, 1, `{}`))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if m, err := decodeMessage(tc.b); !errors.Is(err, ErrMalformed) {
				t.Errorf("decoded %+v, err %v; want ErrMalformed", m, err)
			}
		})
	}
}

func TestRecordOrder(t *testing.T) {
	for _, tc := range []struct {
		name string
		a, b record
		want bool
	}{
		{"higher version", rec("n", 1, 2, ``), rec("n", 1, 1, ``), true},
		{"same version", rec("n", 1, 2, ``), rec("n", 1, 2, ``), false},
		{"lower version", rec("n", 1, 1, ``), rec("n", 1, 2, ``), false},
		{"restart, version 1", rec("n", 2, 1, ``), rec("n", 1, 99, ``), true},
		{"previous run", rec("n", 1, 99, ``), rec("n", 2, 1, ``), false},
	} {
		if got := tc.a.newer(tc.b); got != tc.want {
			t.Errorf("%s: newer = %v, want %v", tc.name, got, tc.want)
		}
	}
}
