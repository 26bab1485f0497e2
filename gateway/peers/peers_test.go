package peers

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/castmesh/castmesh/gateway/streams"
	"github.com/castmesh/castmesh/pkg/discovery/gossip"
)

// fakeCluster is a membership whose states the test sets.
type fakeCluster struct {
	name    string
	members []gossip.Member
	own     any
}

func (f *fakeCluster) Name() string             { return f.name }
func (f *fakeCluster) SetState(v any) error     { f.own = v; return nil }
func (f *fakeCluster) Members() []gossip.Member { return f.members }

func member(t *testing.T, name, role string, st any) gossip.Member {
	t.Helper()
	b, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	return gossip.Member{Name: name, Role: role, State: b}
}

func TestRemoteAndProxy(t *testing.T) {
	owner := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get(proxiedHeader) == "" {
			t.Error("a proxied request is not marked")
		}
		_, _ = io.WriteString(w, "from owner "+r.URL.Path)
	}))
	defer owner.Close()
	self := State{HTTP: "http://self", Streams: []streams.Info{{PlaybackID: "mine"}}}
	c := &fakeCluster{name: "gw-a", members: []gossip.Member{
		member(t, "gw-a", gossip.RoleGateway, self), // self: never remote
		member(t, "gw-b", gossip.RoleGateway, State{HTTP: owner.URL, Streams: []streams.Info{{ID: "s1", PlaybackID: "theirs"}}}),
		member(t, "orch", gossip.RoleOrchestrator, State{HTTP: "http://orch", Streams: []streams.Info{{PlaybackID: "odd"}}}),
		{Name: "gw-c", Role: gossip.RoleGateway, State: json.RawMessage(`"garbage"`)},
	}}
	p := New(c, func() string { return "http://self" }, nil, PolicyFor("127.0.0.1:7946"), slog.New(slog.DiscardHandler))
	if len(p.Remote()) != 0 {
		t.Fatal("remote streams before the cluster was read")
	}
	p.refresh()
	rs := p.Remote()
	if len(rs) != 1 || rs[0].PlaybackID != "theirs" || rs[0].Gateway != "gw-b" || rs[0].Owner != owner.URL {
		t.Fatalf("remote %+v", rs)
	}
	local := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "local") })
	h := p.HLS(local, func(id string) bool { return id == "mine" })
	get := func(path string, proxied bool) string {
		req := httptest.NewRequestWithContext(t.Context(), http.MethodGet, path, nil)
		if proxied {
			req.Header.Set(proxiedHeader, "1")
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Body.String()
	}
	for path, want := range map[string]string{
		"/hls/mine/index.m3u8":        "local",
		"/hls/theirs/720p/index.m3u8": "from owner /hls/theirs/720p/index.m3u8",
		"/hls/nobody/index.m3u8":      "local",
	} {
		if got := get(path, false); got != want {
			t.Errorf("%s: %q, want %q", path, got, want)
		}
	}
	if got := get("/hls/theirs/index.m3u8", true); got != "local" {
		t.Errorf("a proxied request was proxied again: %q", got)
	}
}

// Issue #12 finding 7: a gateway's gossiped base URL was proxied to
// whatever it named, so a member of the cluster could point the HLS proxy
// at the cloud metadata service or any internal address. Owners now pass
// the netguard policy, at refresh and again at dial time.
func TestPeerProxyTargetFiltered(t *testing.T) {
	owner := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, "from owner")
	}))
	defer owner.Close()
	st := func(base, id string) State { return State{HTTP: base, Streams: []streams.Info{{PlaybackID: id}}} }
	c := &fakeCluster{name: "gw-a", members: []gossip.Member{
		member(t, "honest", gossip.RoleGateway, st(owner.URL, "honest")),
		member(t, "metadata", gossip.RoleGateway, st("http://169.254.169.254", "metadata")),
		member(t, "mapped", gossip.RoleGateway, st("http://[::ffff:169.254.169.254]:80", "mapped")),
		member(t, "private", gossip.RoleGateway, st("http://10.0.0.7:8935", "private")),
		member(t, "external", gossip.RoleGateway, st("http://203.0.113.9", "external")),
		member(t, "creds", gossip.RoleGateway, st("http://u:p@"+strings.TrimPrefix(owner.URL, "http://"), "creds")),
		member(t, "scheme", gossip.RoleGateway, st("file:///etc/passwd", "scheme")),
	}}
	p := New(c, func() string { return "http://self" }, nil, PolicyFor("127.0.0.1:7946"), slog.New(slog.DiscardHandler))
	p.refresh()
	for _, id := range []string{"metadata", "mapped", "private", "external", "creds", "scheme"} {
		if o, ok := p.Owner(id); ok {
			t.Errorf("stream %s proxied to %s", id, o)
		}
	}
	if o, ok := p.Owner("honest"); !ok || o != owner.URL {
		t.Fatalf("the honest owner %q, %v", o, ok)
	}

	// A public-only policy refuses loopback at dial time, even through a
	// name: the local handler answers instead.
	byName := strings.Replace(owner.URL, "127.0.0.1", "localhost", 1)
	c.members = []gossip.Member{member(t, "named", gossip.RoleGateway, st(byName, "named"))}
	p = New(c, func() string { return "http://self" }, nil, PolicyFor("203.0.113.1:7946"), slog.New(slog.DiscardHandler))
	p.refresh()
	local := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "local") })
	rec := httptest.NewRecorder()
	p.HLS(local, func(string) bool { return false }).ServeHTTP(rec, httptest.NewRequestWithContext(t.Context(), http.MethodGet, "/hls/named/index.m3u8", nil))
	if rec.Body.String() != "local" {
		t.Errorf("proxied to loopback through a name under a public policy: %q", rec.Body.String())
	}
}

func TestPolicyFor(t *testing.T) {
	for _, tc := range []struct {
		name           string
		addrs          []string
		loopback, priv bool
	}{
		{"loopback cluster", []string{"127.0.0.1:7946", ""}, true, false},
		{"private cluster", []string{"10.0.0.2:7946", ""}, false, true},
		{"all interfaces", []string{"0.0.0.0:7946", ""}, false, true},
		{"public advertise", []string{"0.0.0.0:7946", "198.51.200.1:7946"}, false, false},
		{"public bind", []string{"8.8.4.4:7946"}, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := PolicyFor(tc.addrs...)
			if p.AllowLoopback != tc.loopback || p.AllowPrivate != tc.priv {
				t.Errorf("policy %+v, want loopback %v private %v", p, tc.loopback, tc.priv)
			}
		})
	}
}
