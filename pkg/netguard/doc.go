// Package netguard decides which addresses a castmesh node may connect to
// on a stranger's word: a job's source URL, a webhook, a peer gateway's
// HLS address. One function, Public, classifies an address with net/netip
// against IANA's special-purpose registries (RFC 6890 and its updates):
// anything that is not globally routable unicast is refused, IPv4-mapped,
// NAT64 and 6to4 IPv6 forms included, so 169.254.169.254 cannot be reached
// as ::ffff:169.254.169.254 or 64:ff9b::a9fe:a9fe.
//
// Checking a URL's host before fetching is not enough: a name may resolve
// to another address at dial time (DNS rebinding). Policy.Control checks
// the address a socket really connects to; every outbound client built on
// stranger-supplied URLs sets it as its net.Dialer's Control.
package netguard
