// Package clientip finds the address of the client behind an HTTP request.
// Behind a load balancer or reverse proxy RemoteAddr is the proxy's, so
// per-client limits would lump every client together; but any client can
// send X-Forwarded-For, so the header is believed only from proxies the
// operator names. The chain is read right to left (RFC 7239 §5.2): each hop
// appends the address it saw, so the rightmost address that is not a
// trusted proxy is the client; anything left of it was written by that
// client and proves nothing.
package clientip

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// maxHops bounds how many forwarded addresses are looked at: a header
// longer than any real proxy chain is a client's invention.
const maxHops = 32

// Resolver finds client addresses, trusting forwarding headers from its
// proxies only. The zero value trusts no proxy: the client is RemoteAddr.
type Resolver struct {
	trusted []netip.Prefix
}

// New parses the trusted proxies: IP addresses or CIDR prefixes. The error
// names the bad entry.
func New(trustedProxies []string) (*Resolver, error) {
	r := &Resolver{}
	for i, s := range trustedProxies {
		p, err := parsePrefix(s)
		if err != nil {
			return nil, fmt.Errorf("entry %d, %q, is not an IP address or CIDR prefix", i, s)
		}
		r.trusted = append(r.trusted, p)
	}
	return r, nil
}

// Validate checks a list of trusted proxies as New would.
func Validate(trustedProxies []string) error {
	_, err := New(trustedProxies)
	return err
}

func parsePrefix(s string) (netip.Prefix, error) {
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, err
		}
		return netip.PrefixFrom(p.Addr().Unmap(), unmappedBits(p)).Masked(), nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	a = a.Unmap()
	return netip.PrefixFrom(a, a.BitLen()), nil
}

// unmappedBits keeps a ::ffff:a.b.c.d/n prefix meaning the IPv4 /n-96.
func unmappedBits(p netip.Prefix) int {
	if p.Addr().Is4In6() {
		return max(0, p.Bits()-96)
	}
	return p.Bits()
}

func (r *Resolver) trusts(a netip.Addr) bool {
	if r == nil {
		return false
	}
	for _, p := range r.trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// ClientIP is the address of the client behind req, without a port: the
// peer itself unless it is a trusted proxy, else the rightmost forwarded
// address that is not one (Forwarded, RFC 7239, or else X-Forwarded-For).
// A malformed chain ends at the last address believed.
func (r *Resolver) ClientIP(req *http.Request) string {
	peer, ok := parseHost(req.RemoteAddr)
	if !ok {
		host, _, err := net.SplitHostPort(req.RemoteAddr)
		if err != nil {
			return req.RemoteAddr
		}
		return host
	}
	if !r.trusts(peer) {
		return peer.String()
	}
	hops := forwardedFor(req.Header)
	client := peer
	for i := len(hops) - 1; i >= 0 && len(hops)-i <= maxHops; i-- {
		a, ok := parseHost(hops[i])
		if !ok {
			break
		}
		client = a
		if !r.trusts(a) {
			break
		}
	}
	return client.String()
}

// forwardedFor lists the hops of the Forwarded header's for= parameters,
// or, without one, of X-Forwarded-For; oldest first.
func forwardedFor(h http.Header) []string {
	var hops []string
	for _, v := range h.Values("Forwarded") {
		for _, elem := range strings.Split(v, ",") {
			for _, pair := range strings.Split(elem, ";") {
				k, val, ok := strings.Cut(strings.TrimSpace(pair), "=")
				if ok && strings.EqualFold(k, "for") {
					hops = append(hops, strings.Trim(val, `"`))
				}
			}
		}
	}
	if len(hops) > 0 {
		return hops
	}
	for _, v := range h.Values("X-Forwarded-For") {
		for _, hop := range strings.Split(v, ",") {
			hops = append(hops, strings.TrimSpace(hop))
		}
	}
	return hops
}

// parseHost reads an address with or without a port, IPv6 in brackets or
// bare, IPv4-mapped IPv6 as IPv4.
func parseHost(s string) (netip.Addr, bool) {
	s = strings.TrimSpace(s)
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap(), true
	}
	s = strings.TrimSuffix(strings.TrimPrefix(s, "["), "]")
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Addr{}, false
	}
	return a.Unmap(), true
}
