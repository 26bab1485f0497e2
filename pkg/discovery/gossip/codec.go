package gossip

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"net"
	"strconv"
	"unicode/utf8"

	"github.com/ethereum/go-ethereum/common"
)

// Wire format of everything this package hands memberlist. A message
// starts with a kind byte; integers are unsigned varints
// (encoding/binary), strings and states are a varint length and the bytes.
//
//	record: 0x01 name boot version state signer sig
//	sync:   0x02 from count (name boot version state signer sig)*count
//	meta:   0x03 role signer
//	direct: 0x04 addr name boot version state signer sig
//	hello:  0x05 addr from
//
// signer is the 20-byte Ethereum address of the member's key and sig its
// 65-byte EIP-191 signature over the record (see sign.go); both are raw,
// without a length.
//
// A record is one member's state, gossiped: a member for whom it is news
// passes it on. A direct record is the same, sent by its owner straight
// to each member and not passed on; hello is what a member without state
// sends instead. Both carry the sender's gossip address (IP:port), so a
// member that hears from a stranger can sync with it (see repair.go). A
// sync is every state a member knows, swapped in memberlist's push/pull.
// Meta is the node metadata memberlist gossips with each alive message
// (at most 512 bytes, so no state): the member's role and the address its
// records are signed by, which binds its name to its key.
const (
	kindRecord byte = 1
	kindSync   byte = 2
	kindMeta   byte = 3
	kindDirect byte = 4
	kindHello  byte = 5
)

const (
	// MaxStateSize bounds a member's state, in bytes of JSON. A state
	// travels whole in every push/pull, so a cluster of n members swaps up
	// to n × MaxStateSize bytes per sync; memberlist refuses a sync over
	// 20 MiB.
	MaxStateSize = 64 << 10
	// maxNameLen and maxRoleLen bound the names and roles on the wire.
	maxNameLen = 128
	maxRoleLen = 64
	maxAddrLen = 64
	// sigLen is an EIP-191 signature's length.
	sigLen = 65
	// minRecordLen is the smallest encoded record body: a one-byte name,
	// boot, version and a one-byte state, each with a one-byte varint,
	// then the signer and the signature.
	minRecordLen = 6 + common.AddressLength + sigLen
)

// record is one member's published state, signed by its key.
type record struct {
	Name    string
	Boot    uint64
	Version uint64
	State   json.RawMessage
	// Signer is the address the record claims to be signed by, and Sig
	// the signature; a receiver checks one recovers from the other and
	// that Signer is the one the member announced (meta).
	Signer common.Address
	Sig    []byte
}

// newer reports whether r supersedes o: a later boot wins, then a higher
// version within the same boot.
func (r record) newer(o record) bool {
	if r.Boot != o.Boot {
		return r.Boot > o.Boot
	}
	return r.Version > o.Version
}

// message is any decoded payload; which fields are set depends on Kind.
type message struct {
	Kind    byte
	From    string         // sync, hello, direct: the sender's name
	Addr    string         // hello, direct: the sender's gossip IP:port
	Role    string         // meta
	Signer  common.Address // meta
	Records []record       // record, direct: exactly one; sync: any number
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func appendRecordBody(b []byte, r record) []byte {
	b = appendString(b, r.Name)
	b = binary.AppendUvarint(b, r.Boot)
	b = binary.AppendUvarint(b, r.Version)
	b = binary.AppendUvarint(b, uint64(len(r.State)))
	b = append(b, r.State...)
	b = append(b, r.Signer.Bytes()...)
	sig := make([]byte, sigLen)
	copy(sig, r.Sig)
	return append(b, sig...)
}

func encodeRecord(r record) []byte {
	return appendRecordBody([]byte{kindRecord}, r)
}

func encodeDirect(addr string, r record) []byte {
	return appendRecordBody(appendString([]byte{kindDirect}, addr), r)
}

func encodeHello(addr, from string) []byte {
	return appendString(appendString([]byte{kindHello}, addr), from)
}

func encodeSync(from string, recs []record) []byte {
	b := appendString([]byte{kindSync}, from)
	b = binary.AppendUvarint(b, uint64(len(recs)))
	for _, r := range recs {
		b = appendRecordBody(b, r)
	}
	return b
}

func encodeMeta(role string, signer common.Address) []byte {
	return append(appendString([]byte{kindMeta}, role), signer.Bytes()...)
}

// decodeMessage parses a payload from the network. It never panics and
// allocates no more than a small multiple of len(b): every length is
// checked against what is left before anything is made.
func decodeMessage(b []byte) (message, error) {
	if len(b) == 0 {
		return message{}, fmt.Errorf("%w: empty", ErrMalformed)
	}
	d := decoder{b: b[1:]}
	m := message{Kind: b[0]}
	switch m.Kind {
	case kindRecord:
		m.Records = []record{d.record()}
	case kindDirect:
		m.Addr = d.addr()
		m.Records = []record{d.record()}
		m.From = m.Records[0].Name
	case kindHello:
		m.Addr = d.addr()
		m.From = d.text("sender", maxNameLen)
	case kindSync:
		m.From = d.text("sender", maxNameLen)
		n := d.uvarint("record count")
		if d.err == nil && n > uint64(len(d.b)/minRecordLen) {
			d.fail("record count %d exceeds what %d bytes can hold", n, len(d.b))
		}
		for i := uint64(0); i < n && d.err == nil; i++ {
			m.Records = append(m.Records, d.record())
		}
	case kindMeta:
		m.Role = d.text("role", maxRoleLen)
		m.Signer = common.BytesToAddress(d.fixed("signer", common.AddressLength))
	default:
		return message{}, fmt.Errorf("%w: unknown kind %#x", ErrMalformed, m.Kind)
	}
	if d.err == nil && len(d.b) != 0 {
		d.fail("%d trailing bytes", len(d.b))
	}
	if d.err != nil {
		return message{}, d.err
	}
	return m, nil
}

// decoder reads fields off b; after the first failure it reads nothing
// and keeps that error.
type decoder struct {
	b   []byte
	err error
}

func (d *decoder) fail(format string, args ...any) {
	if d.err == nil {
		d.err = fmt.Errorf("%w: "+format, append([]any{ErrMalformed}, args...)...)
	}
}

func (d *decoder) uvarint(what string) uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail("bad %s", what)
		return 0
	}
	d.b = d.b[n:]
	return v
}

// bytes returns the next length-prefixed field, 1 to limit bytes long,
// aliasing d.b.
func (d *decoder) bytes(what string, limit int) []byte {
	n := d.uvarint(what + " length")
	switch {
	case d.err != nil:
		return nil
	case n == 0 || n > uint64(limit):
		d.fail("%s length %d not in [1, %d]", what, n, limit)
		return nil
	case n > uint64(len(d.b)):
		d.fail("%s length %d exceeds the %d bytes left", what, n, len(d.b))
		return nil
	}
	v := d.b[:n]
	d.b = d.b[n:]
	return v
}

// fixed returns the next n bytes, aliasing d.b.
func (d *decoder) fixed(what string, n int) []byte {
	switch {
	case d.err != nil:
		return nil
	case n > len(d.b):
		d.fail("%s needs %d bytes, %d left", what, n, len(d.b))
		return nil
	}
	v := d.b[:n]
	d.b = d.b[n:]
	return v
}

func (d *decoder) text(what string, limit int) string {
	v := d.bytes(what, limit)
	if d.err == nil && !utf8.Valid(v) {
		d.fail("%s is not UTF-8", what)
	}
	return string(v)
}

// addr reads an IP:port: the repair that dials it must not make DNS
// lookups on a stranger's word.
func (d *decoder) addr() string {
	s := d.text("address", maxAddrLen)
	if d.err != nil {
		return ""
	}
	host, port, err := net.SplitHostPort(s)
	if err == nil {
		_, err = strconv.ParseUint(port, 10, 16)
	}
	if err != nil || net.ParseIP(host) == nil {
		d.fail("address %q is not IP:port", s)
	}
	return s
}

func (d *decoder) record() record {
	r := record{Name: d.text("name", maxNameLen)}
	r.Boot = d.uvarint("boot")
	r.Version = d.uvarint("version")
	if d.err == nil && r.Version == 0 {
		d.fail("version 0 for %q", r.Name)
	}
	state := d.bytes("state", MaxStateSize)
	if d.err == nil && !json.Valid(state) {
		d.fail("state of %q is not JSON", r.Name)
	}
	// Copy: memberlist may reuse the buffer once the delegate returns.
	r.State = bytes.Clone(state)
	r.Signer = common.BytesToAddress(d.fixed("signer", common.AddressLength))
	r.Sig = bytes.Clone(d.fixed("signature", sigLen))
	return r
}
