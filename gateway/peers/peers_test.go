package peers

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
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
	p := New(c, func() string { return "http://self" }, nil, slog.New(slog.DiscardHandler))
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
