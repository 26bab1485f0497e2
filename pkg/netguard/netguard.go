package netguard

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"syscall"
)

// ErrNotPublic means an address is not one the policy lets a node reach.
var ErrNotPublic = errors.New("refusing to connect to a non-public address")

// special4 are the IPv4 ranges of IANA's special-purpose registry that
// are not globally reachable (RFC 6890, RFC 8190), and multicast and the
// reserved class E. Private and loopback ranges are classified apart (see
// Class) so that a Policy may allow them. A function, not a variable: the
// package keeps no mutable state, and building the array costs nothing.
func special4() [11]netip.Prefix {
	p := func(a, b, c, d byte, bits int) netip.Prefix {
		return netip.PrefixFrom(netip.AddrFrom4([4]byte{a, b, c, d}), bits)
	}
	return [...]netip.Prefix{
		p(0, 0, 0, 0, 8),       // "this network", RFC 791
		p(100, 64, 0, 0, 10),   // shared address space (CGNAT), RFC 6598
		p(169, 254, 0, 0, 16),  // link-local, cloud metadata, RFC 3927
		p(192, 0, 0, 0, 24),    // IETF protocol assignments, RFC 6890
		p(192, 0, 2, 0, 24),    // TEST-NET-1, RFC 5737
		p(192, 88, 99, 0, 24),  // 6to4 relay anycast, RFC 7526
		p(198, 18, 0, 0, 15),   // benchmarking, RFC 2544
		p(198, 51, 100, 0, 24), // TEST-NET-2, RFC 5737
		p(203, 0, 113, 0, 24),  // TEST-NET-3, RFC 5737
		p(224, 0, 0, 0, 4),     // multicast, RFC 5771
		p(240, 0, 0, 0, 4),     // reserved and broadcast, RFC 1112
	}
}

// special6 are the ranges inside 2000::/3 (the only globally routed IPv6
// unicast space, RFC 4291) that are not globally reachable, or that embed
// an IPv4 address a node would then reach (6to4, Teredo). Everything
// outside 2000::/3 (link-local, unique local, multicast, NAT64's
// 64:ff9b::/96, IPv4-compatible ::/96 …) is not public either.
func special6() [4]netip.Prefix {
	p := func(hi uint16, second uint16, bits int) netip.Prefix {
		return netip.PrefixFrom(netip.AddrFrom16([16]byte{byte(hi >> 8), byte(hi), byte(second >> 8), byte(second)}), bits)
	}
	return [...]netip.Prefix{
		p(0x2001, 0, 23),      // IETF protocol assignments, Teredo, RFC 2928, RFC 4380
		p(0x2001, 0x0db8, 32), // documentation, RFC 3849
		p(0x2002, 0, 16),      // 6to4, RFC 3056
		p(0x3fff, 0, 20),      // documentation, RFC 9637
	}
}

// global6 is 2000::/3.
func global6() netip.Prefix { return netip.PrefixFrom(netip.AddrFrom16([16]byte{0x20}), 3) }

// Class is what an address is, for a Policy.
type Class int

// Classes, from most to least reachable.
const (
	// ClassPublic is globally routable unicast.
	ClassPublic Class = iota
	// ClassPrivate is RFC 1918 IPv4 or RFC 4193 unique local IPv6.
	ClassPrivate
	// ClassLoopback is 127.0.0.0/8 or ::1.
	ClassLoopback
	// ClassSpecial is everything else: unspecified, link-local (cloud
	// metadata), shared (CGNAT), documentation, benchmarking, multicast,
	// reserved, translated.
	ClassSpecial
)

// Classify returns the class of addr. An IPv4-mapped IPv6 address is
// classified as the IPv4 address it maps; a zone is ignored.
func Classify(addr netip.Addr) Class {
	addr = addr.WithZone("").Unmap()
	switch {
	case !addr.IsValid() || addr.IsUnspecified():
		return ClassSpecial
	case addr.IsLoopback():
		return ClassLoopback
	case addr.IsPrivate():
		return ClassPrivate
	case addr.Is4():
		for _, p := range special4() {
			if p.Contains(addr) {
				return ClassSpecial
			}
		}
		return ClassPublic
	}
	if !global6().Contains(addr) {
		return ClassSpecial // link-local, site-local, multicast, ::/8, NAT64 …
	}
	for _, p := range special6() {
		if p.Contains(addr) {
			return ClassSpecial
		}
	}
	return ClassPublic
}

// Public reports whether addr is globally routable unicast: the only
// addresses a node reaches on a stranger's word by default.
func Public(addr netip.Addr) bool { return Classify(addr) == ClassPublic }

// PublicIP is Public for a net.IP; an IP of bad length is not public.
func PublicIP(ip net.IP) bool {
	addr, ok := netip.AddrFromSlice(ip)
	return ok && Public(addr)
}

// Policy says which addresses a client may reach beyond public ones.
// The zero Policy allows public addresses only.
type Policy struct {
	// AllowPrivate allows RFC 1918 and unique local addresses.
	AllowPrivate bool
	// AllowLoopback allows loopback.
	AllowLoopback bool
}

// Allows reports whether the policy lets a client reach addr. Special
// addresses are never allowed.
func (p Policy) Allows(addr netip.Addr) bool {
	switch Classify(addr) {
	case ClassPublic:
		return true
	case ClassPrivate:
		return p.AllowPrivate
	case ClassLoopback:
		return p.AllowLoopback
	}
	return false
}

// Check returns ErrNotPublic, wrapped with the address, unless host (an
// IP literal) is allowed. A name is refused: resolve it first, or check
// at dial time with Control.
func (p Policy) Check(host string) error {
	addr, err := netip.ParseAddr(host)
	if err != nil || !p.Allows(addr) {
		return fmt.Errorf("%w: %s", ErrNotPublic, host)
	}
	return nil
}

// Control is a net.Dialer Control function: it refuses a connection to an
// address the policy does not allow, after DNS, so a name that resolves to
// a private address is refused as well.
func (p Policy) Control(_, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrNotPublic, err)
	}
	return p.Check(host)
}
