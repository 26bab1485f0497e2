package chain

import (
	"bufio"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestOpensOnlyTheHTTPPort checks the process's own sockets: the chain
// listens on its HTTP port on loopback and nowhere else, and has no UDP
// socket (no discovery, no NAT probing).
func TestOpensOnlyTheHTTPPort(t *testing.T) {
	c, _ := startChain(t, testConfig(t.TempDir()))
	u, err := url.Parse(c.URL())
	if err != nil {
		t.Fatal(err)
	}
	want := "tcp 0100007F:" + u.Port()
	got := ownSockets(t)
	if len(got) != 1 || got[0] != want {
		t.Fatalf("listening or UDP sockets = %v, want only [%s]", got, want)
	}
}

// ownSockets lists this process's TCP listeners and UDP sockets as
// "proto HEXADDR:port", from /proc (proc(5): /proc/net/tcp's local_address
// is the address in hex, in host byte order for IPv4).
func ownSockets(t *testing.T) []string {
	t.Helper()
	inodes := map[string]bool{}
	fds, err := filepath.Glob("/proc/self/fd/*")
	if err != nil {
		t.Fatal(err)
	}
	for _, fd := range fds {
		if l, err := os.Readlink(fd); err == nil && strings.HasPrefix(l, "socket:[") {
			inodes[strings.TrimSuffix(strings.TrimPrefix(l, "socket:["), "]")] = true
		}
	}
	var out []string
	for _, proto := range []string{"tcp", "tcp6", "udp", "udp6"} {
		out = append(out, socketsIn(t, proto, inodes)...)
	}
	return out
}

func socketsIn(t *testing.T, proto string, inodes map[string]bool) []string {
	t.Helper()
	f, err := os.Open("/proc/self/net/" + proto)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Scan() // header
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		const listen = "0A"
		if len(fields) < 10 || !inodes[fields[9]] || (strings.HasPrefix(proto, "tcp") && fields[3] != listen) {
			continue
		}
		addr, port, _ := strings.Cut(fields[1], ":")
		p, err := strconv.ParseUint(port, 16, 16)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%s %s:%d", proto, addr, p))
	}
	return out
}
