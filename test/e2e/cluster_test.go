package e2e

import (
	"bufio"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/castmesh/castmesh/test/fixture"
	"github.com/castmesh/castmesh/test/harness"
)

// cluster is one gateway, one orchestrator and two worker processes, each
// its own `castmesh` process as operators run them, with static stream
// keys instead of the devnet's accept-anything, and payments off: a
// trusted private cluster.
type cluster struct {
	rtmp, http, orchAdmin string
	workers               []*harness.Proc
	workerAdmins          []string
}

const workerSecret = "e2e-worker-secret-0123456789"

// streamKeys are the cluster gateway's static keys; "ladder-key" names its
// own ladder, one rung per codec castmesh encodes.
const streamKeys = `[{"key":"healthy-key"},{"key":"push-key"},{"key":"codec-key"},
	{"key":"ladder-key","playback_id":"ladder","profiles":[
		{"name":"h264","width":640,"height":360,"bitrate":800000,"codec":"h264"},
		{"name":"hevc","width":640,"height":360,"bitrate":600000,"codec":"hevc"},
		{"name":"vp9","width":640,"height":360,"bitrate":600000,"codec":"vp9"},
		{"name":"av1","width":640,"height":360,"bitrate":500000,"codec":"av1"}]}]`

func startCluster(t *testing.T) *cluster {
	t.Helper()
	fixture.RequireTool(t, "ffmpeg")
	a := harness.FreeAddrs(t, 8)
	c := &cluster{rtmp: a[0], http: "http://" + a[1], orchAdmin: a[4], workerAdmins: []string{a[5], a[6]}}
	harness.Start(t, "orchestrator", binary, "orchestrator", "--grpc-addr", a[3], "--admin-addr", a[4],
		"--worker-secret", workerSecret, "--heartbeat", "500ms", "--payments.mode", "off", "--log.level", "debug")
	for i, admin := range c.workerAdmins {
		c.workers = append(c.workers, harness.Start(t, "worker-"+strconv.Itoa(i+1), binary, "worker",
			"--orchestrator", a[3], "--secret", workerSecret, "--id", "w"+strconv.Itoa(i+1), "--capacity", "1",
			"--admin-addr", admin, "--transcode.preset", "ultrafast", "--reconnect-min", "100ms", "--log.level", "debug"))
	}
	harness.Start(t, "gateway", binary, "gateway", "--rtmp.addr", a[0], "--http-addr", a[1], "--admin-addr", a[2],
		"--auth.stream-keys", streamKeys,
		"--selection.orchestrators", `[{"addr":"`+a[3]+`"}]`, "--payments.mode", "off", "--log.level", "debug")
	fixture.Eventually(t, 60*time.Second, func() bool {
		status := orchStatus(t, "http://"+c.orchAdmin)
		return strings.Count(status, `"id":"w`) == 2
	})
	fixture.Eventually(t, 30*time.Second, func() bool {
		code, _ := harness.Get(t, c.http+"/api/streams")
		return code == http.StatusOK
	})
	return c
}

func orchStatus(t *testing.T, base string) string {
	code, b := harness.Get(t, base+"/status")
	if code != http.StatusOK {
		return ""
	}
	return string(b)
}

// metric reads one sample from a Prometheus text page; -1 when absent.
func metric(t *testing.T, url, name string) float64 {
	t.Helper()
	code, b := harness.Get(t, url)
	if code != http.StatusOK {
		return -1
	}
	sc := bufio.NewScanner(strings.NewReader(string(b)))
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, name+" ") {
			v, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimPrefix(line, name)), 64)
			if err == nil {
				return v
			}
		}
	}
	return -1
}

// metricLabeled reads the sample of a metric whose only label has value
// label; 0 when absent.
func metricLabeled(t *testing.T, url, name, label string) int64 {
	t.Helper()
	_, b := harness.Get(t, url)
	prefix := name + `{`
	for line := range strings.SplitSeq(string(b), "\n") {
		if strings.HasPrefix(line, prefix) && strings.Contains(line, `="`+label+`"}`) {
			f, err := strconv.ParseFloat(line[strings.LastIndex(line, " ")+1:], 64)
			if err == nil {
				return int64(f)
			}
		}
	}
	return 0
}

// metricWith reads the sample of a metric with exactly these labels; 0
// when absent.
func metricWith(t *testing.T, url, name string, labels map[string]string) float64 {
	t.Helper()
	_, b := harness.Get(t, url)
	for line := range strings.SplitSeq(string(b), "\n") {
		rest, ok := strings.CutPrefix(line, name+"{")
		if !ok {
			continue
		}
		set, value, ok := strings.Cut(rest, "} ")
		if !ok || strings.Count(set, "=") != len(labels) {
			continue
		}
		match := true
		for k, v := range labels {
			match = match && strings.Contains(","+set+",", ","+k+"="+strconv.Quote(v)+",")
		}
		if f, err := strconv.ParseFloat(value, 64); match && err == nil {
			return f
		}
	}
	return 0
}
