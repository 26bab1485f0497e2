package e2e

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/castmesh/castmesh/test/fixture"
	"github.com/castmesh/castmesh/test/harness"
)

// failoverClip is 40 s of 720p30 with 2 s GOPs: 20 segments, light enough
// for 2 cores to transcode in real time while nodes die around it.
var failoverClip = fixture.ClipSpec{Width: 1280, Height: 720, FPS: 30, Duration: 40 * time.Second, GOP: 2 * time.Second, Audio: true}

// failoverOrch is one orchestrator process of a failover network, with two
// workers.
type failoverOrch struct {
	name, admin  string
	args         []string
	proc         *harness.Proc
	workers      []*harness.Proc
	workerAdmins []string
}

// failoverNet is a gateway and three orchestrators with two workers each,
// every one its own process, payments off.
type failoverNet struct {
	rtmp, http string
	orchs      []*failoverOrch
}

func startFailoverNet(t *testing.T) *failoverNet {
	t.Helper()
	fixture.RequireTool(t, "ffmpeg")
	a := harness.FreeAddrs(t, 3+3*4)
	n := &failoverNet{rtmp: a[0], http: "http://" + a[1]}
	var list string
	for i := range 3 {
		grpc, admin := a[3+4*i], a[4+4*i]
		o := &failoverOrch{name: fmt.Sprintf("orchestrator-%d", i+1), admin: "http://" + admin}
		o.args = []string{
			"orchestrator", "--grpc-addr", grpc, "--admin-addr", admin, "--worker-secret", workerSecret,
			"--heartbeat", "500ms", "--payments.mode", "off", "--log.level", "debug",
		}
		o.proc = harness.Start(t, o.name, binary, o.args...)
		for j := range 2 {
			wa := a[5+4*i+j]
			o.workerAdmins = append(o.workerAdmins, "http://"+wa)
			o.workers = append(o.workers, harness.Start(t, fmt.Sprintf("%s-worker-%d", o.name, j+1), binary, "worker",
				"--orchestrator", grpc, "--secret", workerSecret, "--id", fmt.Sprintf("w%d%d", i+1, j+1), "--capacity", "1",
				"--admin-addr", wa, "--transcode.preset", "ultrafast", "--reconnect-min", "100ms", "--log.level", "debug"))
		}
		if i > 0 {
			list += ","
		}
		list += `{"addr":"` + grpc + `"}`
		n.orchs = append(n.orchs, o)
	}
	harness.Start(t, "gateway", binary, "gateway", "--rtmp.addr", a[0], "--http-addr", a[1], "--admin-addr", a[2],
		"--auth.stream-keys", `[{"key":"failover-key"}]`, "--selection.orchestrators", "["+list+"]",
		"--selection.info-interval", "1s", "--payments.mode", "off", "--log.level", "debug")
	for _, o := range n.orchs {
		o.waitWorkers(t, 2)
	}
	return n
}

// waitWorkers waits until the orchestrator lists n workers.
func (o *failoverOrch) waitWorkers(t *testing.T, n int) {
	t.Helper()
	fixture.Eventually(t, time.Minute, func() bool {
		return strings.Count(orchStatus(t, o.admin), `"id":"w`) == n
	}, o.name, "to have "+strconv.Itoa(n)+" workers")
}

// busy returns the orchestrator (and its worker) transcoding a segment
// now, waiting for one.
func (n *failoverNet) busy(t *testing.T, alive func(*failoverOrch) bool) (*failoverOrch, int) {
	t.Helper()
	var victim *failoverOrch
	worker := -1
	fixture.Eventually(t, 30*time.Second, func() bool {
		for _, o := range n.orchs {
			if !alive(o) {
				continue
			}
			for j, wa := range o.workerAdmins {
				if metric(t, wa+"/metrics", "castmesh_worker_jobs_in_flight") >= 1 {
					victim, worker = o, j
					return true
				}
			}
		}
		return false
	}, "a worker to be transcoding")
	return victim, worker
}

// okJobs sums the jobs an orchestrator's workers finished.
func (o *failoverOrch) okJobs(t *testing.T) int64 {
	var sum int64
	for _, wa := range o.workerAdmins {
		sum += metricLabeled(t, wa+"/metrics", "castmesh_worker_jobs_total", "ok")
	}
	return sum
}

// TestFailover publishes 40 s over RTMP to three orchestrators and, while
// it plays, SIGKILLs the orchestrator transcoding it mid-segment, restarts
// it, SIGKILLs a worker mid-segment, then SIGKILLs the two other
// orchestrators so the stream must go back to the restarted one. Every
// input segment must still be in every rendition of the recording, with
// continuous timestamps.
func TestFailover(t *testing.T) {
	n := startFailoverNet(t)
	clip := fixture.Clip(t, failoverClip)
	published := make(chan error, 1)
	go func() {
		out, err := runFFmpeg(t, 3*time.Minute, "-re", "-i", clip, "-c", "copy", "-f", "flv", "rtmp://"+n.rtmp+"/live/failover-key")
		if err != nil {
			t.Logf("ffmpeg: %s", out)
		}
		published <- err
	}()
	st := harness.WaitStream(t, n.http, 30*time.Second, func(s harness.Stream) bool { return s.Ingest == "rtmp" })
	last := st
	progress := func(segments int64) {
		t.Helper()
		fixture.Eventually(t, time.Minute, func() bool {
			for _, s := range harness.Streams(t, n.http) {
				if s.ID == st.ID {
					last = s
				}
			}
			return last.Segments >= segments
		}, "the stream to reach segment "+strconv.FormatInt(segments, 10))
	}
	alive := map[*failoverOrch]bool{n.orchs[0]: true, n.orchs[1]: true, n.orchs[2]: true}
	isAlive := func(o *failoverOrch) bool { return alive[o] }

	progress(3)
	killed, _ := n.busy(t, isAlive)
	t.Logf("SIGKILL %s mid-segment at segment %d", killed.name, last.Segments)
	killed.proc.Kill()
	alive[killed] = false

	progress(6)
	t.Logf("restarting %s at segment %d", killed.name, last.Segments)
	killed.proc = harness.Start(t, killed.name+"-restarted", binary, killed.args...)
	killed.waitWorkers(t, 2)
	alive[killed] = true
	before := killed.okJobs(t)

	progress(8)
	o, w := n.busy(t, isAlive)
	t.Logf("SIGKILL %s's worker %d mid-segment at segment %d", o.name, w+1, last.Segments)
	retries := metric(t, o.admin+"/metrics", "castmesh_orchestrator_job_retries_total")
	o.workers[w].Kill()

	progress(11)
	if after := metric(t, o.admin+"/metrics", "castmesh_orchestrator_job_retries_total"); after <= retries {
		t.Errorf("%s did not move the dead worker's segment to its other worker (retries %v → %v)", o.name, retries, after)
	}
	for _, other := range n.orchs {
		if other != killed {
			t.Logf("SIGKILL %s at segment %d", other.name, last.Segments)
			other.proc.Kill()
			alive[other] = false
		}
	}

	if err := <-published; err != nil {
		t.Fatalf("publisher failed: %v", err)
	}
	// Watch the stream to its end: its last counts are the final ones.
	fixture.Eventually(t, 2*time.Minute, func() bool {
		for _, s := range harness.Streams(t, n.http) {
			if s.ID == st.ID {
				last = s
				return false
			}
		}
		return true
	}, "the stream to end")
	if last.Failed != 0 || last.Dropped != 0 || last.Segments < 19 {
		t.Errorf("the stream lost segments: %d done, %d failed, %d dropped", last.Segments, last.Failed, last.Dropped)
	}
	if done := killed.okJobs(t) - before; done < 3 {
		t.Errorf("the restarted %s transcoded %d segments after it came back, want the stream's last ones", killed.name, done)
	}

	recording := resolve(st.PlaybackURL, "recording.m3u8")
	for _, r := range ladder {
		segs := checkRecording(t, resolve(recording, r.name+"/recording.m3u8"), r.width, r.height)
		if len(segs) != 20 {
			t.Errorf("%s: %d segments for 40 s of input, want 20", r.name, len(segs))
		}
		var total time.Duration
		for i, s := range segs {
			if s.uri != strconv.Itoa(i)+".ts" || s.info.Video.Frames != 60 {
				t.Errorf("%s: segment %d is %s with %d frames", r.name, i, s.uri, s.info.Video.Frames)
			}
			total += s.dur
		}
		if math.Abs((total - 40*time.Second).Seconds()) > 0.1 {
			t.Errorf("%s: recording lasts %v, want 40s", r.name, total)
		}
	}
}
