package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/castmesh/castmesh/pkg/media"
	"github.com/castmesh/castmesh/test/fixture"
	"github.com/castmesh/castmesh/test/harness"
)

// clusterStream is an /api/streams entry of a gateway in a cluster.
type clusterStream struct {
	harness.Stream
	Gateway string `json:"gateway"`
}

func clusterStreams(t *testing.T, base string) []clusterStream {
	t.Helper()
	var body struct{ Streams []clusterStream }
	if err := json.Unmarshal(harness.MustGet(t, base+"/api/streams"), &body); err != nil {
		t.Fatal(err)
	}
	return body.Streams
}

// findStream waits until base lists playbackID, owned by another gateway
// (remote) or by base itself.
func findStream(t *testing.T, base, playbackID string, remote bool) clusterStream {
	t.Helper()
	var found clusterStream
	fixture.Eventually(t, time.Minute, func() bool {
		for _, s := range clusterStreams(t, base) {
			if s.PlaybackID == playbackID && (s.Gateway != "") == remote {
				found = s
				return true
			}
		}
		return false
	}, base, "to list", playbackID)
	return found
}

// publish runs ffmpeg -re publishing clip to url until it ends or stop is
// called.
func publish(t *testing.T, clip, url string) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	cmd := exec.CommandContext(ctx, "ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin",
		"-re", "-i", clip, "-c", "copy", "-f", "flv", url)
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	stop = func() { cancel(); <-done }
	t.Cleanup(stop)
	return stop
}

// TestManyGateways runs two gateways and three orchestrators in one
// memberlist cluster on loopback. A stream published to gateway A plays
// from gateway B; when A's publisher dies and the publisher comes back
// through B, the stream keeps its playback id, and A now serves it from B.
func TestManyGateways(t *testing.T) {
	n := startGossipNet(t, 3)
	const secret = "shared-playback-secret-0123456789"
	a, b := n.gateway(t, "gateway-a", secret), n.gateway(t, "gateway-b", secret)
	clip := fixture.Clip(t, fixture.ClipSpec{Width: 1280, Height: 720, FPS: 30, Duration: 30 * time.Second, GOP: 2 * time.Second, Audio: true})

	stopA := publish(t, clip, a.rtmp+"/many-key")
	st := harness.WaitStream(t, a.http, 30*time.Second, func(s harness.Stream) bool { return s.Ingest == "rtmp" })
	pid := st.PlaybackID

	// B lists it and plays it, from A.
	remote := findStream(t, b.http, pid, true)
	if !strings.HasPrefix(remote.PlaybackURL, b.http+"/hls/") {
		t.Errorf("B lists A's stream at %s, want a URL of B's", remote.PlaybackURL)
	}
	playsFrom(t, b.http, pid)

	// A's publisher dies; it comes back through B under the same key.
	stopA()
	fixture.Eventually(t, time.Minute, func() bool { return harness.StreamGone(t, a.http, st.ID) }, "A's stream to end")
	publish(t, clip, b.rtmp+"/many-key")
	again := findStream(t, b.http, pid, false)
	if again.PlaybackID != pid {
		t.Fatalf("republished through B under playback id %s, was %s", again.PlaybackID, pid)
	}
	// A now lists it as B's and serves B's live playlist.
	findStream(t, a.http, pid, true)
	playsFrom(t, a.http, pid)
	fixture.Eventually(t, 30*time.Second, func() bool {
		_, fromA := harness.Get(t, a.http+"/hls/"+pid+"/720p/index.m3u8")
		_, fromB := harness.Get(t, b.http+"/hls/"+pid+"/720p/index.m3u8")
		return string(fromA) == string(fromB) && strings.Contains(string(fromB), ".ts")
	}, "A to serve B's live playlist")
}

// playsFrom checks base serves the stream's master playlist with the
// ladder, and a segment of its 720p rendition that decodes.
func playsFrom(t *testing.T, base, pid string) {
	t.Helper()
	url := base + "/hls/" + pid + "/index.m3u8"
	fixture.Eventually(t, time.Minute, func() bool { code, _ := harness.Get(t, url); return code == 200 }, url)
	checkMaster(t, url)
	var seg string
	fixture.Eventually(t, time.Minute, func() bool {
		pl := mediaPlaylist(t, resolve(url, "720p/index.m3u8"))
		if len(pl.Segments) == 0 {
			return false
		}
		seg = resolve(resolve(url, "720p/index.m3u8"), pl.Segments[len(pl.Segments)-1].URI)
		return true
	}, "a 720p segment at", base)
	info, err := media.ProbeTS(harness.MustGet(t, seg))
	if err != nil || info.Video.Width != 1280 || info.Video.Height != 720 {
		t.Fatalf("%s: %+v %v", seg, info.Video, err)
	}
}

// gossipNet is orchestrators with a worker each in one gossip cluster.
type gossipNet struct {
	seed   string
	orchs  []*harness.Proc
	admins []string
}

func startGossipNet(t *testing.T, orchestrators int) *gossipNet {
	t.Helper()
	fixture.RequireTool(t, "ffmpeg")
	n := &gossipNet{}
	for range orchestrators {
		n.add(t)
	}
	return n
}

// add starts one more orchestrator and its worker; the first starts the
// cluster, the others join it.
func (n *gossipNet) add(t *testing.T) {
	t.Helper()
	i := len(n.orchs)
	a := harness.FreeAddrs(t, 4)
	args := []string{
		"orchestrator", "--grpc-addr", a[0], "--admin-addr", a[1], "--worker-secret", workerSecret,
		"--heartbeat", "500ms", "--payments.mode", "off", "--log.level", "debug",
		"--gossip.bind-addr", a[2], "--gossip.profile", "local", "--gossip.join-retry", "200ms",
	}
	if n.seed == "" {
		n.seed = a[2]
		args = append(args, "--gossip.enabled=true")
	} else {
		args = append(args, "--join", n.seed)
	}
	n.orchs = append(n.orchs, harness.Start(t, fmt.Sprintf("orchestrator-%d", i+1), binary, args...))
	n.admins = append(n.admins, "http://"+a[1])
	harness.Start(t, fmt.Sprintf("worker-%d", i+1), binary, "worker", "--orchestrator", a[0], "--secret", workerSecret,
		"--id", fmt.Sprintf("g%d", i+1), "--capacity", "2", "--admin-addr", a[3],
		"--transcode.preset", "ultrafast", "--reconnect-min", "100ms", "--log.level", "debug")
}

// clusterGateway is a gateway process joined to the cluster.
type clusterGateway struct{ rtmp, http, admin string }

func (n *gossipNet) gateway(t *testing.T, name, playbackSecret string) clusterGateway {
	t.Helper()
	a := harness.FreeAddrs(t, 4)
	g := clusterGateway{rtmp: "rtmp://" + a[0] + "/live", http: "http://" + a[1], admin: "http://" + a[2]}
	harness.Start(t, name, binary, "gateway", "--rtmp.addr", a[0], "--http-addr", a[1], "--admin-addr", a[2],
		"--auth.stream-keys", `[{"key":"many-key"}]`, "--auth.playback-secret", playbackSecret,
		"--payments.mode", "off", "--log.level", "debug",
		"--join", n.seed, "--gossip.bind-addr", a[3], "--gossip.profile", "local", "--gossip.join-retry", "200ms",
		"--gossip.name", name, "--discovery.cache.interval", "300ms", "--selection.info-interval", "300ms")
	fixture.Eventually(t, time.Minute, func() bool {
		return metric(t, g.admin+"/metrics", "castmesh_discovery_nodes") == float64(len(n.orchs))
	}, name, "to find the orchestrators")
	return g
}
