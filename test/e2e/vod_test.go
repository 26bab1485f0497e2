package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"mime/multipart"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/castmesh/castmesh/pkg/media"
	"github.com/castmesh/castmesh/test/fixture"
	"github.com/castmesh/castmesh/test/harness"
)

// vodClip is a minute of 1080p30 at 8 Mbit/s, as a phone records it: about
// 60 MB, eight parts of 8 MiB.
var vodClip = fixture.ClipSpec{
	Width: 1920, Height: 1080, FPS: 30, Duration: time.Minute, GOP: 2 * time.Second, Audio: true, Format: "mp4",
	Bitrate: 8_000_000,
}

// vodAnswer is one answer of the VOD API.
type vodAnswer struct {
	status int
	header http.Header
	body   []byte
}

func vodDo(t *testing.T, method, url string, body []byte, header ...string) vodAnswer {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != nil && method == http.MethodPost {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return vodAnswer{resp.StatusCode, resp.Header, b}
}

func (a vodAnswer) into(t *testing.T, status int, v any) {
	t.Helper()
	if a.status != status {
		t.Fatalf("got %d, want %d: %s", a.status, status, a.body)
	}
	if v != nil {
		if err := json.Unmarshal(a.body, v); err != nil {
			t.Fatalf("%s: %v", a.body, err)
		}
	}
}

type vodUpload struct {
	ID             string `json:"id"`
	Status         string `json:"status"`
	ChunkSize      int64  `json:"chunk_size"`
	TotalChunks    int    `json:"total_chunks"`
	ReceivedChunks []int  `json:"received_chunks"`
	Source         *struct {
		Width, Height int
		Frames        int64
		Bytes         int64
	} `json:"source"`
}

type vodJob struct {
	ID       string `json:"id"`
	Status   string `json:"status"`
	Attempt  int    `json:"attempt"`
	Error    *string
	Progress struct {
		Phase   string  `json:"phase"`
		Percent float64 `json:"percent"`
	} `json:"progress"`
	Result *struct {
		FinalArtifact    string  `json:"final_artifact"`
		EffectiveProfile string  `json:"effective_profile"`
		ReductionPct     float64 `json:"reduction_pct"`
		CompressionRatio float64 `json:"compression_ratio"`
		SSIM             float64 `json:"ssim"`
		PSNR             float64 `json:"psnr"`
		BilledPixels     int64   `json:"billed_pixels"`
		AmountPaidWei    string  `json:"amount_paid_wei"`
		Output           struct {
			Bytes         int64 `json:"bytes"`
			Width, Height int
			Frames        int64
			Renditions    int
		} `json:"output"`
	} `json:"result"`
	OutputURL *string `json:"output_url"`
}

// TestVOD runs the file API on the devnet, with payments: a minute of
// 1080p uploaded in parts through a dropped connection, optimized by
// the auto profile across both orchestrators, downloaded and played; an
// HLS ladder played by a Go HLS reader; a job canceled; the command line;
// /api/optimize; VP9 at 10 bits into MKV.
func TestVOD(t *testing.T) {
	d := startDevnet(t)
	clip := fixture.Clip(t, vodClip)
	data, err := os.ReadFile(clip)
	if err != nil {
		t.Fatal(err)
	}
	uploadID := uploadInParts(t, d.HTTP, data)

	var job vodJob
	vodDo(t, http.MethodPost, d.HTTP+"/v1/jobs", mustMarshal(t, map[string]any{
		"source": map[string]any{"type": "upload", "upload_id": uploadID}, "profile": "auto",
	}), "Idempotency-Key", "auto-1").into(t, http.StatusCreated, &job)
	job = waitVODJob(t, d.HTTP, job.ID, 8*time.Minute)
	r := job.Result
	if job.Status != "completed" || r == nil || r.FinalArtifact != "output" {
		t.Fatalf("auto job %+v result %+v error %v", job, r, job.Error)
	}
	if r.SSIM < 0.95 || r.PSNR < 30 || r.ReductionPct <= 0 || r.CompressionRatio <= 1 || r.Output.Frames != 1800 ||
		r.Output.Width != 1920 || r.BilledPixels < 1920*1080*1800 {
		t.Fatalf("auto result %+v", r)
	}
	if paid, ok := new(big.Int).SetString(r.AmountPaidWei, 10); !ok || paid.Sign() <= 0 {
		t.Fatalf("amount paid %q: the devnet pays with tickets", r.AmountPaidWei)
	}
	t.Logf("auto: %s, %.1f%% smaller (%.2f×), SSIM %.4f, PSNR %.2f dB, %s wei paid", r.EffectiveProfile, r.ReductionPct,
		r.CompressionRatio, r.SSIM, r.PSNR, r.AmountPaidWei)
	out := vodDo(t, http.MethodGet, d.HTTP+*job.OutputURL, nil)
	if out.status != http.StatusOK || int64(len(out.body)) != r.Output.Bytes || int64(len(out.body)) >= int64(len(data)) {
		t.Fatalf("download: %d, %d bytes (source %d)", out.status, len(out.body), len(data))
	}
	path := filepath.Join(t.TempDir(), "out.mp4")
	if err := os.WriteFile(path, out.body, 0o600); err != nil {
		t.Fatal(err)
	}
	if stderr, err := runFFmpeg(t, 2*time.Minute, "-i", path, "-f", "null", "-"); err != nil || stderr != "" {
		t.Fatalf("the output does not play cleanly: %v\n%s", err, stderr)
	}
	info, err := media.ProbeFile(t.Context(), "", path)
	if err != nil || info.Video.Frames != 1800 || info.Audio == nil {
		t.Fatalf("output %+v (%v)", info, err)
	}
	// Both orchestrators worked on it.
	for i, o := range d.Orchestrators {
		if n := metricLabeled(t, "http://"+o.WorkerAdmin+"/metrics", "castmesh_worker_jobs_total", "ok"); n == 0 {
			t.Errorf("orchestrator %d's worker did no job", i+1)
		}
	}
	if n := metric(t, d.Admin+"/metrics", "castmesh_gateway_vod_uploaded_bytes_total"); n != float64(len(data)) {
		t.Errorf("uploaded bytes metric %v, want %d", n, len(data))
	}

	t.Run("hls", func(t *testing.T) { vodHLS(t, d) })
	t.Run("cancel", func(t *testing.T) { vodCancel(t, d, uploadID) })
	t.Run("cli", func(t *testing.T) { vodCLI(t, d) })
	t.Run("optimize", func(t *testing.T) { vodOptimize(t, d) })
	t.Run("vp9 10-bit mkv", func(t *testing.T) { vodVP9(t, d) })
}

func smallClip(t *testing.T) string {
	return fixture.Clip(t, fixture.ClipSpec{
		Width: 640, Height: 360, FPS: 30, Duration: 8 * time.Second, GOP: 2 * time.Second,
		Audio: true, Format: "mp4", Bitrate: 3_000_000,
	})
}

// vodOptimize is the Ghost Stream API's round trip: post the file, poll,
// download.
func vodOptimize(t *testing.T, d *harness.Devnet) {
	data, err := os.ReadFile(smallClip(t))
	if err != nil {
		t.Fatal(err)
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile("video", "small.mp4")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	var acc struct {
		ID           string `json:"id"`
		Status       string `json:"status"`
		PollURL      string `json:"poll_url"`
		OriginalSize int64  `json:"original_size"`
	}
	vodDo(t, http.MethodPost, d.HTTP+"/api/optimize", body.Bytes(), "Content-Type", mw.FormDataContentType()).
		into(t, http.StatusAccepted, &acc)
	if acc.Status != "processing" || acc.OriginalSize != int64(len(data)) || acc.PollURL == "" {
		t.Fatalf("accepted %+v", acc)
	}
	var st struct {
		Status        string `json:"status"`
		OptimizedSize int64  `json:"optimized_size"`
		ReductionPct  int    `json:"reduction_pct"`
		DownloadURL   string `json:"download_url"`
		Metrics       struct {
			CompressionRatio string  `json:"compression_ratio"`
			SSIM             float64 `json:"ssim"`
		} `json:"metrics"`
	}
	pollVOD(t, 3*time.Minute, func() bool {
		vodDo(t, http.MethodGet, d.HTTP+acc.PollURL, nil).into(t, http.StatusOK, &st)
		return st.Status != "processing"
	}, "the optimize request ends")
	if st.Status != "complete" || st.DownloadURL == "" || !strings.HasSuffix(st.Metrics.CompressionRatio, "x") || st.Metrics.SSIM < 0.95 {
		t.Fatalf("optimize status %+v", st)
	}
	dl := vodDo(t, http.MethodGet, d.HTTP+st.DownloadURL, nil)
	if dl.status != http.StatusOK || int64(len(dl.body)) != st.OptimizedSize {
		t.Fatalf("download: %d, %d bytes, want %d", dl.status, len(dl.body), st.OptimizedSize)
	}
}

// vodVP9 encodes VP9 at 10 bits into MKV through the real workers, whose
// VP9 renditions are fMP4 fragments joined into one file.
func vodVP9(t *testing.T, d *harness.Devnet) {
	id := uploadWhole(t, d.HTTP, smallClip(t))
	var job vodJob
	vodDo(t, http.MethodPost, d.HTTP+"/v1/jobs", mustMarshal(t, map[string]any{
		"source": map[string]any{"type": "upload", "upload_id": id}, "profile": "vp9-fast",
		"output": map[string]any{"container": "mkv", "bit_depth": 10, "target_height": 240},
	})).into(t, http.StatusCreated, &job)
	job = waitVODJob(t, d.HTTP, job.ID, 4*time.Minute)
	if job.Status != "completed" || job.Result.Output.Height != 240 || job.Result.Output.Frames != 240 {
		t.Fatalf("vp9 job %+v error %v", job, job.Error)
	}
	out := vodDo(t, http.MethodGet, d.HTTP+*job.OutputURL, nil)
	path := filepath.Join(t.TempDir(), "out.mkv")
	if err := os.WriteFile(path, out.body, 0o600); err != nil {
		t.Fatal(err)
	}
	probe, err := exec.CommandContext(t.Context(), "ffprobe", "-v", "error", "-select_streams", "v:0",
		"-show_entries", "stream=codec_name,pix_fmt,height", "-of", "csv=p=0", path).Output()
	if err != nil || strings.TrimSpace(string(probe)) != "vp9,240,yuv420p10le" {
		t.Fatalf("the MKV: %q (%v)", probe, err)
	}
	if stderr, err := runFFmpeg(t, time.Minute, "-i", path, "-f", "null", "-"); err != nil || stderr != "" {
		t.Fatalf("the MKV does not decode cleanly: %v\n%s", err, stderr)
	}
}

// uploadWhole uploads a file in one part and completes it.
func uploadWhole(t *testing.T, base, file string) string {
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var u vodUpload
	vodDo(t, http.MethodPost, base+"/v1/uploads", mustMarshal(t, map[string]any{
		"file_name": filepath.Base(file), "file_size": len(data), "mime_type": "video/mp4",
	})).into(t, http.StatusCreated, &u)
	vodDo(t, http.MethodPut, base+"/v1/uploads/"+u.ID+"/parts/0", data, "Content-Type", "application/octet-stream").into(t, http.StatusOK, nil)
	vodDo(t, http.MethodPost, base+"/v1/uploads/"+u.ID+"/complete", nil).into(t, http.StatusOK, &u)
	return u.ID
}

// vodCLI runs `castmesh vod submit --wait -o` as a user would.
func vodCLI(t *testing.T, d *harness.Devnet) {
	small := smallClip(t)
	out := filepath.Join(t.TempDir(), "small.mp4")
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, "vod", "submit", small, "--gateway", d.HTTP, "--profile", "h264-fast", "--wait", "-o", out)
	cmd.Env = append(os.Environ(), "XDG_CACHE_HOME="+t.TempDir())
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("vod submit: %v\n%s\n%s", err, stdout.String(), stderr.String())
	}
	if !strings.Contains(stdout.String(), "output: h264-veryfast-crf22") || !strings.Contains(stdout.String(), "wrote "+out) ||
		!strings.Contains(stderr.String(), "upload  [##############################] 100.0%") {
		t.Fatalf("vod submit said:\n%s\n%s", stdout.String(), stderr.String())
	}
	info, err := media.ProbeFile(t.Context(), "", out)
	if err != nil || info.Video.Frames != 240 || info.Video.Width != 640 {
		t.Fatalf("the file written: %+v (%v)", info, err)
	}
}

// uploadInParts sends data in 8 MiB parts: part 1's connection drops
// midway and the part is sent again after the upload's state says it is
// missing; part 2 is sent twice.
func uploadInParts(t *testing.T, base string, data []byte) string {
	var u vodUpload
	vodDo(t, http.MethodPost, base+"/v1/uploads", mustMarshal(t, map[string]any{
		"file_name": "phone.mp4", "file_size": len(data), "mime_type": "video/mp4",
	}), "Idempotency-Key", "upload-1").into(t, http.StatusCreated, &u)
	if u.ChunkSize != 8<<20 || u.TotalChunks != int((int64(len(data))+u.ChunkSize-1)/u.ChunkSize) {
		t.Fatalf("upload %+v", u)
	}
	part := func(n int) []byte { return data[int64(n)*u.ChunkSize : min(int64(n+1)*u.ChunkSize, int64(len(data)))] }
	put := func(n int) {
		vodDo(t, http.MethodPut, fmt.Sprintf("%s/v1/uploads/%s/parts/%d", base, u.ID, n), part(n),
			"Content-Type", "application/octet-stream").into(t, http.StatusOK, nil)
	}
	dropMidway(t, base, fmt.Sprintf("/v1/uploads/%s/parts/1", u.ID), part(1))
	for n := range u.TotalChunks {
		if n != 1 {
			put(n)
		}
	}
	put(2)
	var st vodUpload
	vodDo(t, http.MethodGet, base+"/v1/uploads/"+u.ID, nil).into(t, http.StatusOK, &st)
	for _, n := range st.ReceivedChunks {
		if n == 1 {
			t.Fatalf("the part whose connection dropped is kept: %v", st.ReceivedChunks)
		}
	}
	if len(st.ReceivedChunks) != u.TotalChunks-1 {
		t.Fatalf("received %v of %d", st.ReceivedChunks, u.TotalChunks)
	}
	put(1)
	vodDo(t, http.MethodPost, base+"/v1/uploads/"+u.ID+"/complete", nil).into(t, http.StatusOK, &st)
	if st.Status != "completed" || st.Source == nil || st.Source.Width != 1920 || st.Source.Frames != 1800 || st.Source.Bytes != int64(len(data)) {
		t.Fatalf("completed %+v", st)
	}
	return u.ID
}

// dropMidway sends half of a part's body over a raw connection and closes
// it, as a client whose network fails does.
func dropMidway(t *testing.T, base, path string, body []byte) {
	t.Helper()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := (&net.Dialer{}).DialContext(t.Context(), "tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	head := "PUT " + path + " HTTP/1.1\r\nHost: " + u.Host + "\r\nContent-Type: application/octet-stream\r\nContent-Length: " +
		strconv.Itoa(len(body)) + "\r\n\r\n"
	if _, err := conn.Write(append([]byte(head), body[:len(body)/2]...)); err != nil {
		t.Fatal(err)
	}
	conn.Close()
}

// pollVOD checks cond twice a second until it holds, failing the test
// after within. The API's per-address rate limit would refuse a tighter
// loop, as it should.
func pollVOD(t *testing.T, within time.Duration, cond func() bool, what string) {
	t.Helper()
	tick := time.NewTicker(500 * time.Millisecond)
	defer tick.Stop()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s", what, within)
		}
		<-tick.C
	}
}

func waitVODJob(t *testing.T, base, id string, within time.Duration) vodJob {
	t.Helper()
	var j vodJob
	pollVOD(t, within, func() bool {
		vodDo(t, http.MethodGet, base+"/v1/jobs/"+id, nil).into(t, http.StatusOK, &j)
		return j.Status == "completed" || j.Status == "failed" || j.Status == "canceled"
	}, "job "+id+" ends")
	return j
}

// vodHLS packages the small clip as an HLS ladder (360p, 240p) and plays
// it in a Go HLS reader.
func vodHLS(t *testing.T, d *harness.Devnet) {
	var job vodJob
	vodDo(t, http.MethodPost, d.HTTP+"/v1/jobs", mustMarshal(t, map[string]any{
		"source": map[string]any{"type": "upload", "upload_id": uploadWhole(t, d.HTTP, smallClip(t))}, "profile": "h264-fast",
		"output": map[string]any{"container": "hls"},
	})).into(t, http.StatusCreated, &job)
	job = waitVODJob(t, d.HTTP, job.ID, 3*time.Minute)
	if job.Status != "completed" || job.Result.Output.Renditions != 2 || job.Result.Output.Height != 360 {
		t.Fatalf("hls job %+v error %v", job, job.Error)
	}
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, d.HTTP+*job.OutputURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	play := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(play, "/v1/play/") {
		t.Fatalf("output: %d %q", resp.StatusCode, play)
	}
	p := fixture.PlayHLS(t, d.HTTP+play, 2*time.Minute)
	if p.VideoFrames != 240 || p.AudioFrames == 0 {
		t.Fatalf("played %+v, want 240 frames and audio", p)
	}
}

func vodCancel(t *testing.T, d *harness.Devnet, uploadID string) {
	var job vodJob
	vodDo(t, http.MethodPost, d.HTTP+"/v1/jobs", mustMarshal(t, map[string]any{
		"source": map[string]any{"type": "upload", "upload_id": uploadID}, "profile": "hevc-small",
	})).into(t, http.StatusCreated, &job)
	pollVOD(t, time.Minute, func() bool {
		vodDo(t, http.MethodGet, d.HTTP+"/v1/jobs/"+job.ID, nil).into(t, http.StatusOK, &job)
		return job.Status == "encoding"
	}, "the job encodes")
	vodDo(t, http.MethodDelete, d.HTTP+"/v1/jobs/"+job.ID, nil).into(t, http.StatusOK, &job)
	job = waitVODJob(t, d.HTTP, job.ID, time.Minute)
	if job.Status != "canceled" {
		t.Fatalf("after cancel: %+v", job)
	}
	if a := vodDo(t, http.MethodGet, d.HTTP+"/v1/jobs/"+job.ID+"/output", nil); a.status != http.StatusConflict {
		t.Fatalf("output of a canceled job: %d %s", a.status, a.body)
	}
}

func mustMarshal(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
