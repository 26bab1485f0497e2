package e2e

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/castmesh/castmesh/test/fixture"
	"github.com/castmesh/castmesh/test/harness"
)

// vodGateway is one gateway process of a shared VOD store.
type vodGateway struct {
	base, admin string
	args        []string
	proc        *harness.Proc
}

// TestVODSharedStore runs two gateways on one real PostgreSQL server and
// one media directory, as two gateways behind a load balancer: an upload
// goes through both, an idempotent request answers the same on both, and
// a job whose gateway is killed mid-encode is finished by the other (and
// the killed one, restarted, serves it too). A half-done upload is
// completed after its gateway restarts.
func TestVODSharedStore(t *testing.T) {
	fixture.RequireTool(t, "ffmpeg")
	store := harness.StartPostgres(t).Database(t)
	media := filepath.Join(t.TempDir(), "media")
	a := harness.FreeAddrs(t, 2+2+6)
	orch := a[0]
	harness.Start(t, "orchestrator", binary, "orchestrator", "--grpc-addr", orch, "--admin-addr", a[1],
		"--worker-secret", workerSecret, "--heartbeat", "500ms", "--payments.mode", "off", "--log.level", "info")
	for i := range 2 {
		harness.Start(t, fmt.Sprintf("worker-%d", i+1), binary, "worker", "--orchestrator", orch, "--secret", workerSecret,
			"--id", fmt.Sprintf("w%d", i+1), "--capacity", "1", "--admin-addr", a[2+i], "--reconnect-min", "100ms", "--log.level", "info")
	}
	gws := make([]*vodGateway, 2)
	for i := range gws {
		g := &vodGateway{base: "http://" + a[5+3*i], admin: "http://" + a[6+3*i]}
		g.args = []string{
			"gateway", "--rtmp.addr", a[4+3*i], "--http-addr", a[5+3*i], "--admin-addr", a[6+3*i],
			"--selection.orchestrators", `[{"addr":"` + orch + `"}]`, "--selection.info-interval", "1s", "--payments.mode", "off",
			"--vod.enabled=true", "--vod.store", store, "--vod.media-dir", media, "--vod.jobs.lease", "3s",
			"--vod.jobs.segment-duration", "2s", "--id", "gateway-" + strconv.Itoa(i+1), "--log.level", "info",
		}
		g.start(t, i)
		gws[i] = g
	}
	fixture.Eventually(t, time.Minute, func() bool {
		return strings.Count(orchStatus(t, "http://"+a[1]), `"id":"w`) == 2
	}, "both workers register")
	data, err := os.ReadFile(fixture.Clip(t, fixture.ClipSpec{
		Width: 1280, Height: 720, FPS: 30, Duration: 20 * time.Second,
		GOP: 2 * time.Second, Audio: true, Format: "mp4", Bitrate: 4_000_000,
	}))
	if err != nil {
		t.Fatal(err)
	}

	// An upload started on one gateway, its parts split over both, is
	// completed on the other.
	var u vodUpload
	body := mustMarshal(t, map[string]any{"file_name": "shared.mp4", "file_size": len(data), "mime_type": "video/mp4", "chunk_size": 1 << 20})
	vodDo(t, http.MethodPost, gws[0].base+"/v1/uploads", body, "Idempotency-Key", "shared-1").into(t, http.StatusCreated, &u)
	var again vodUpload
	vodDo(t, http.MethodPost, gws[1].base+"/v1/uploads", body, "Idempotency-Key", "shared-1").into(t, http.StatusCreated, &again)
	if again.ID != u.ID {
		t.Fatalf("the same idempotent request made upload %s on one gateway and %s on the other", u.ID, again.ID)
	}
	for n := range u.TotalChunks {
		g := gws[n%2]
		vodDo(t, http.MethodPut, fmt.Sprintf("%s/v1/uploads/%s/parts/%d", g.base, u.ID, n),
			data[int64(n)*u.ChunkSize:min(int64(n+1)*u.ChunkSize, int64(len(data)))], "Content-Type", "application/octet-stream").
			into(t, http.StatusOK, nil)
	}
	vodDo(t, http.MethodPost, gws[1].base+"/v1/uploads/"+u.ID+"/complete", nil).into(t, http.StatusOK, &u)
	if u.Status != "completed" {
		t.Fatalf("upload %+v", u)
	}

	top := t // processes restarted in subtests live as long as the test
	t.Run("gateway killed mid-job", func(t *testing.T) {
		var job vodJob
		vodDo(t, http.MethodPost, gws[0].base+"/v1/jobs", mustMarshal(t, map[string]any{
			"source": map[string]any{"type": "upload", "upload_id": u.ID}, "profile": "h264-balanced",
		})).into(t, http.StatusCreated, &job)
		// Gateway 1 or 2 takes it; kill the one that does, once it has
		// encoded something.
		pollVOD(t, 2*time.Minute, func() bool {
			vodDo(t, http.MethodGet, gws[1].base+"/v1/jobs/"+job.ID, nil).into(t, http.StatusOK, &job)
			return job.Status == "encoding" && job.Progress.Percent > 10
		}, "the job encodes")
		killed := -1
		for i, g := range gws {
			if metric(t, g.admin+"/metrics", "castmesh_gateway_vod_jobs_running") == 1 {
				killed = i
			}
		}
		if killed < 0 {
			t.Fatal("no gateway says it runs the job")
		}
		gws[killed].proc.Kill()
		other := gws[1-killed]
		done := waitVODJob(t, other.base, job.ID, 4*time.Minute)
		if done.Status != "completed" || done.Result.Output.Frames != 600 || done.Attempt != 2 {
			t.Fatalf("after the kill: %+v error %v", done, done.Error)
		}
		gws[killed].start(top, killed)
		out := vodDo(t, http.MethodGet, gws[killed].base+*done.OutputURL, nil)
		if out.status != http.StatusOK || int64(len(out.body)) != done.Result.Output.Bytes {
			t.Fatalf("the restarted gateway serves %d, %d bytes", out.status, len(out.body))
		}
	})

	t.Run("half-done upload after a restart", func(t *testing.T) {
		g := gws[0]
		var h vodUpload
		vodDo(t, http.MethodPost, g.base+"/v1/uploads", mustMarshal(t, map[string]any{
			"file_name": "half.mp4", "file_size": len(data), "mime_type": "video/mp4", "chunk_size": 1 << 20,
		})).into(t, http.StatusCreated, &h)
		part := func(n int) []byte {
			return data[int64(n)*h.ChunkSize : min(int64(n+1)*h.ChunkSize, int64(len(data)))]
		}
		for n := range h.TotalChunks / 2 {
			vodDo(t, http.MethodPut, fmt.Sprintf("%s/v1/uploads/%s/parts/%d", g.base, h.ID, n), part(n),
				"Content-Type", "application/octet-stream").into(t, http.StatusOK, nil)
		}
		g.proc.Stop(t)
		g.start(top, 0)
		var st vodUpload
		vodDo(t, http.MethodGet, g.base+"/v1/uploads/"+h.ID, nil).into(t, http.StatusOK, &st)
		if len(st.ReceivedChunks) != h.TotalChunks/2 {
			t.Fatalf("after the restart: %v", st.ReceivedChunks)
		}
		for n := h.TotalChunks / 2; n < h.TotalChunks; n++ {
			vodDo(t, http.MethodPut, fmt.Sprintf("%s/v1/uploads/%s/parts/%d", g.base, h.ID, n), part(n),
				"Content-Type", "application/octet-stream").into(t, http.StatusOK, nil)
		}
		vodDo(t, http.MethodPost, g.base+"/v1/uploads/"+h.ID+"/complete", nil).into(t, http.StatusOK, &st)
		if st.Status != "completed" || st.Source == nil || st.Source.Frames != 600 {
			t.Fatalf("completed after the restart: %+v", st)
		}
	})
}

func (g *vodGateway) start(t *testing.T, i int) {
	t.Helper()
	g.proc = harness.Start(t, fmt.Sprintf("gateway-%d-%d", i+1, time.Now().UnixNano()), binary, g.args...)
	fixture.Eventually(t, 30*time.Second, func() bool {
		code, _ := harness.Get(t, g.base+"/v1/jobs")
		return code == http.StatusOK
	}, "gateway "+strconv.Itoa(i+1)+" serves the file API")
}
