package netguard

import (
	"errors"
	"net"
	"net/netip"
	"testing"
)

// Issue #12 finding 10: the SSRF filter missed 100.64.0.0/10,
// IPv4-mapped IPv6 and other special ranges. One function classifies
// them all.
func TestSSRFSpecialRangesRefused(t *testing.T) {
	for _, tc := range []struct {
		name string
		addr string
		want Class
	}{
		{"public v4", "8.8.8.8", ClassPublic},
		{"public v6", "2606:4700::1111", ClassPublic},
		{"cgnat", "100.64.0.1", ClassSpecial},
		{"cgnat top", "100.127.255.254", ClassSpecial},
		{"just past cgnat", "100.128.0.1", ClassPublic},
		{"metadata", "169.254.169.254", ClassSpecial},
		{"mapped metadata", "::ffff:169.254.169.254", ClassSpecial},
		{"mapped loopback", "::ffff:127.0.0.1", ClassLoopback},
		{"mapped private", "::ffff:10.0.0.1", ClassPrivate},
		{"nat64 metadata", "64:ff9b::a9fe:a9fe", ClassSpecial},
		{"ipv4-compatible", "::169.254.169.254", ClassSpecial},
		{"6to4", "2002:a9fe:a9fe::1", ClassSpecial},
		{"teredo", "2001:0:4136:e378::1", ClassSpecial},
		{"documentation v6", "2001:db8::1", ClassSpecial},
		{"documentation v6 new", "3fff::1", ClassSpecial},
		{"this network", "0.1.2.3", ClassSpecial},
		{"unspecified", "0.0.0.0", ClassSpecial},
		{"unspecified v6", "::", ClassSpecial},
		{"loopback", "127.0.0.2", ClassLoopback},
		{"loopback v6", "::1", ClassLoopback},
		{"rfc1918", "192.168.1.1", ClassPrivate},
		{"rfc1918 172", "172.31.0.1", ClassPrivate},
		{"ula", "fd00::1", ClassPrivate},
		{"link-local v6", "fe80::1%eth0", ClassSpecial},
		{"multicast", "239.1.1.1", ClassSpecial},
		{"multicast v6", "ff02::1", ClassSpecial},
		{"broadcast", "255.255.255.255", ClassSpecial},
		{"reserved", "240.0.0.1", ClassSpecial},
		{"benchmark", "198.19.0.1", ClassSpecial},
		{"test-net-3", "203.0.113.9", ClassSpecial},
		{"ietf", "192.0.0.8", ClassSpecial},
	} {
		t.Run(tc.name, func(t *testing.T) {
			addr := netip.MustParseAddr(tc.addr)
			if got := Classify(addr); got != tc.want {
				t.Errorf("Classify(%s) = %d, want %d", tc.addr, got, tc.want)
			}
			if got := Public(addr); got != (tc.want == ClassPublic) {
				t.Errorf("Public(%s) = %v", tc.addr, got)
			}
			if got := PublicIP(net.ParseIP(addr.WithZone("").String())); got != (tc.want == ClassPublic) {
				t.Errorf("PublicIP(%s) = %v", tc.addr, got)
			}
		})
	}
}

func TestPolicy(t *testing.T) {
	for _, tc := range []struct {
		name   string
		policy Policy
		host   string
		ok     bool
	}{
		{"public by default", Policy{}, "1.1.1.1", true},
		{"loopback refused by default", Policy{}, "127.0.0.1", false},
		{"private refused by default", Policy{}, "10.1.2.3", false},
		{"loopback allowed", Policy{AllowLoopback: true}, "127.0.0.1", true},
		{"loopback allowed, private not", Policy{AllowLoopback: true}, "10.1.2.3", false},
		{"private allowed", Policy{AllowPrivate: true}, "10.1.2.3", true},
		{"metadata never", Policy{AllowPrivate: true, AllowLoopback: true}, "169.254.169.254", false},
		{"mapped metadata never", Policy{AllowPrivate: true, AllowLoopback: true}, "::ffff:169.254.169.254", false},
		{"a name is refused", Policy{AllowLoopback: true}, "localhost", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.policy.Check(tc.host)
			if (err == nil) != tc.ok {
				t.Errorf("Check(%s) = %v, want ok %v", tc.host, err, tc.ok)
			}
			if err != nil && !errors.Is(err, ErrNotPublic) {
				t.Errorf("error %v is not ErrNotPublic", err)
			}
			cerr := tc.policy.Control("tcp", net.JoinHostPort(tc.host, "80"), nil)
			if (cerr == nil) != tc.ok {
				t.Errorf("Control(%s) = %v, want ok %v", tc.host, cerr, tc.ok)
			}
		})
	}
}

// TestControlRefusesDial dials a real listener on loopback through a
// dialer guarded by the default policy.
func TestControlRefusesDial(t *testing.T) {
	ln, err := (&net.ListenConfig{}).Listen(t.Context(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	d := net.Dialer{Control: Policy{}.Control}
	if c, err := d.DialContext(t.Context(), "tcp", ln.Addr().String()); err == nil {
		c.Close()
		t.Fatal("dialled loopback under the default policy")
	} else if !errors.Is(err, ErrNotPublic) {
		t.Fatalf("dial error %v, want ErrNotPublic", err)
	}
	d.Control = Policy{AllowLoopback: true}.Control
	c, err := d.DialContext(t.Context(), "tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
}

func FuzzClassify(f *testing.F) {
	for _, s := range []string{"8.8.8.8", "::ffff:169.254.169.254", "64:ff9b::a9fe:a9fe", "fe80::1%eth0", "::1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		addr, err := netip.ParseAddr(s)
		if err != nil {
			return
		}
		c := Classify(addr)
		// A mapped address is classified as what it maps.
		if addr.Is4In6() && Classify(addr.Unmap()) != c {
			t.Fatalf("%s: %d, unmapped %d", s, c, Classify(addr.Unmap()))
		}
		if c == ClassPublic && (addr.IsLoopback() || addr.IsPrivate() || addr.IsLinkLocalUnicast() || addr.IsMulticast()) {
			t.Fatalf("%s classified public", s)
		}
	})
}
