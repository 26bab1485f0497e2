package bench

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/castmesh/castmesh/test/fixture"
	"github.com/castmesh/castmesh/test/harness"
)

// routeSource is what BenchmarkRouteSegments pushes: 720p30 H.264 at
// 3 Mbit/s plus AAC, 2 s segments of about 0.8 MB.
var routeSource = fixture.ClipSpec{
	Width: 1280, Height: 720, FPS: 30, Duration: 20 * time.Second, GOP: 2 * time.Second, Audio: true, Bitrate: 3_000_000,
}

// routeLadder has two rungs of the source's size, so the passthrough
// worker's renditions (the input itself) pass the gateway's verification.
// Per segment the gateway takes in 0.8 MB and sends 1.6 MB of renditions
// back, about what a 1080p source and a three-rung ladder move.
const routeLadder = `[{"name":"a","width":1280,"height":720,"bitrate":3000000},` +
	`{"name":"b","width":1280,"height":720,"bitrate":1500000}]`

const (
	routeSecret   = "bench-worker-secret"
	routeStreams  = 8  // pushing at once
	routeSegments = 15 // each, after a first one that sets the stream up
	routeOrchs    = 2
)

// BenchmarkRouteSegments measures how many segments one gateway routes
// when transcoding costs nothing: a gateway and two orchestrators (each its
// own `castmesh` process, payments off, verification on) and one
// passthrough worker per orchestrator (test/passthrough, which answers with
// the input). Eight HTTP-push streams send 2 s segments back to back, each
// waiting for its renditions before the next, as fast as the network
// takes them. Every segment goes through the gateway's whole path: the
// upload and its check, selection, a TLS gRPC upload to an orchestrator,
// dispatch to the worker, the renditions back, their signature, size and
// frame checks, and insertion into the HLS playlists.
//
// It reports segments per second of wall time with everything on this
// machine's cores, the gateway process's own CPU time per segment (from
// /proc), and from that the live 2 s streams one gateway core carries.
func BenchmarkRouteSegments(b *testing.B) {
	passthrough, err := harness.BuildCommand(b.Context(), b.TempDir(), "test/passthrough", false)
	if err != nil {
		b.Fatal(err)
	}
	base, gw := startRouteNet(b, passthrough)
	var segs [][]byte
	for _, p := range fixture.Segments(b, routeSource, 2*time.Second) {
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		segs = append(segs, data)
	}
	var rate, cpuPerSeg, p50 []float64
	for b.Loop() {
		r := routeRound(b, base, gw, segs)
		rate, cpuPerSeg, p50 = append(rate, r.perSecond), append(cpuPerSeg, r.cpuPerSegment), append(p50, r.p50)
	}
	cpu := medianOf(cpuPerSeg)
	b.ReportMetric(medianOf(rate), "segments/s")
	b.ReportMetric(cpu, "gateway-cpu-ms/segment")
	b.ReportMetric(2000/cpu, "live-streams/gateway-core")
	b.ReportMetric(medianOf(p50), "p50-ms/segment")
}

// startRouteNet starts the gateway, orchestrators and passthrough workers;
// it returns the gateway's base URL and process.
func startRouteNet(b *testing.B, passthrough string) (string, *harness.Proc) {
	a := harness.FreeAddrs(b, 3+2*routeOrchs)
	var list string
	for i := range routeOrchs {
		grpc, admin := a[3+2*i], a[4+2*i]
		harness.Start(b, fmt.Sprintf("orchestrator-%d", i+1), binary, "orchestrator", "--grpc-addr", grpc,
			"--admin-addr", admin, "--worker-secret", routeSecret, "--sessions.max-sessions", "100",
			"--payments.mode", "off", "--log.level", "warn")
		harness.Start(b, fmt.Sprintf("passthrough-%d", i+1), passthrough, "--orchestrator", grpc,
			"--secret", routeSecret, "--id", fmt.Sprintf("p%d", i+1), "--capacity", "8")
		fixture.Eventually(b, 30*time.Second, func() bool {
			_, status := harness.Get(b, "http://"+admin+"/status")
			return strings.Contains(string(status), fmt.Sprintf(`"id":"p%d"`, i+1))
		}, "the passthrough worker registers")
		if i > 0 {
			list += ","
		}
		list += `{"addr":"` + grpc + `"}`
	}
	gw := harness.Start(b, "gateway", binary, "gateway", "--rtmp.addr", a[0], "--http-addr", a[1], "--admin-addr", a[2],
		"--auth.allow-any-key=true", "--streams.profiles", routeLadder, "--hls.record=false",
		"--selection.orchestrators", "["+list+"]", "--selection.info-interval", "1s",
		"--payments.mode", "off", "--log.level", "warn")
	base := "http://" + a[1]
	fixture.Eventually(b, 30*time.Second, func() bool {
		code, _ := harness.Get(b, base+"/api/streams")
		return code == 200
	})
	return base, gw
}

type routeResult struct {
	perSecond, cpuPerSegment, p50 float64
}

// routeRound pushes routeStreams fresh streams' first segments, then
// times routeSegments more on each.
func routeRound(b *testing.B, base string, gw *harness.Proc, segs [][]byte) routeResult {
	round := time.Now().UnixNano()
	url := func(s, seq int) string { return fmt.Sprintf("%s/live/route-%d-%d/%d.ts", base, round, s, seq) }
	push := func(ctx context.Context, s, seq int) (time.Duration, error) {
		start := time.Now()
		code, parts, body, err := harness.TryPush(ctx, url(s, seq), segs[seq%len(segs)], 2000)
		switch {
		case err != nil:
			return 0, err
		case code != 200 || len(parts) != 2:
			return 0, fmt.Errorf("stream %d segment %d: %d, %d renditions: %s", s, seq, code, len(parts), body)
		}
		return time.Since(start), nil
	}
	g, ctx := errgroup.WithContext(b.Context())
	for s := range routeStreams {
		g.Go(func() error { _, err := push(ctx, s, 0); return err })
	}
	if err := g.Wait(); err != nil {
		b.Fatal(err)
	}
	cpu0, err := gw.CPU()
	if err != nil {
		b.Fatal(err)
	}
	var mu sync.Mutex
	var took []time.Duration
	start := time.Now()
	g, ctx = errgroup.WithContext(b.Context())
	for s := range routeStreams {
		g.Go(func() error {
			for seq := 1; seq <= routeSegments; seq++ {
				d, err := push(ctx, s, seq)
				if err != nil {
					return err
				}
				mu.Lock()
				took = append(took, d)
				mu.Unlock()
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		b.Fatal(err)
	}
	wall := time.Since(start)
	cpu1, err := gw.CPU()
	if err != nil {
		b.Fatal(err)
	}
	n := float64(routeStreams * routeSegments)
	return routeResult{
		perSecond:     n / wall.Seconds(),
		cpuPerSegment: ms(cpu1-cpu0) / n,
		p50:           ms(median(took)),
	}
}

func medianOf(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}
