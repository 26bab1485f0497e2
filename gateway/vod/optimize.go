package vod

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/castmesh/castmesh/pkg/httpjson"
	"github.com/castmesh/castmesh/pkg/media"
)

// The simple form, as the Ghost Stream API has it: POST /api/optimize with
// the file in the multipart field "video" runs the auto profile on it;
// GET /api/optimize/{id} polls; /download fetches the result. The id is
// the job's, so the /v1 routes see the same job.

type optimizeAccepted struct {
	ID           string `json:"id"`
	Status       string `json:"status"`
	OriginalSize int64  `json:"original_size"`
	PollURL      string `json:"poll_url"`
}

type optimizeStatus struct {
	ID            string           `json:"id"`
	Status        string           `json:"status"`
	Progress      int              `json:"progress"`
	OriginalSize  int64            `json:"original_size"`
	OptimizedSize *int64           `json:"optimized_size,omitempty"`
	ReductionPct  *int             `json:"reduction_pct,omitempty"`
	DownloadURL   string           `json:"download_url,omitempty"`
	Metrics       *optimizeMetrics `json:"metrics,omitempty"`
	Error         string           `json:"error,omitempty"`
}

type optimizeMetrics struct {
	CompressionRatio string  `json:"compression_ratio"`
	OutputResolution string  `json:"output_resolution"`
	Encoder          string  `json:"encoder"`
	SSIM             float64 `json:"ssim"`
	PSNR             float64 `json:"psnr"`
	FinalArtifact    string  `json:"final_artifact"`
}

// optimize takes the file as it streams in (never whole in memory), then
// makes it a completed upload and an auto job on it. With an
// Idempotency-Key the request is the file's SHA-256: the same file again
// gets the first answer.
func (a *API) optimize(w http.ResponseWriter, r *http.Request, c caller) error {
	key := r.Header.Get("Idempotency-Key")
	if len(key) > 128 {
		return errorf(http.StatusBadRequest, codeIdempotencyKey, "Idempotency-Key must be 1 to 128 characters")
	}
	// Over quota, the file is not worth reading. (With an Idempotency-Key
	// the request may be a retry of one that was admitted: it is read, to
	// be answered as the first was; a new one meets the quota at admit.)
	if key == "" {
		if err := a.quota.check(r.Context(), c.owner, a.now()); err != nil {
			return err
		}
		if err := a.quota.checkUpload(r.Context(), c.owner, a.now(), 1); err != nil {
			return err
		}
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return errorf(http.StatusUnsupportedMediaType, codeMediaType, "send multipart/form-data with the file in the field video")
	}
	var id, sum string
	var size int64
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return invalid("the form is malformed: %v", err)
		}
		if part.FormName() != "video" || id != "" {
			continue
		}
		id = newID("upl_")
		h := sha256.New()
		size, err = writeFile(a.files.source(id), io.TeeReader(part, h), a.cfg.MaxUploadBytes)
		if err != nil {
			_ = os.RemoveAll(a.files.upload(id))
			if errors.Is(err, errTooLong) {
				return errorf(http.StatusRequestEntityTooLarge, codeTooLarge, "the video exceeds %d bytes", a.cfg.MaxUploadBytes)
			}
			return invalid("the video was cut off: %v", err)
		}
		sum = hex.EncodeToString(h.Sum(nil))
	}
	if id == "" || size == 0 {
		if id != "" {
			_ = os.RemoveAll(a.files.upload(id))
		}
		return invalid("send the video in the multipart field video")
	}
	run := func(w http.ResponseWriter) error { return a.startOptimize(w, r, c, id, size, sum) }
	if key == "" {
		return run(w)
	}
	ran, err := a.once(w, r, c.owner, optimizeRoute, key, hashOf(optimizeRoute+"\n"+sum), run)
	if !ran {
		_ = os.RemoveAll(a.files.upload(id)) // the first request's file serves
	}
	return err
}

func hashOf(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// startOptimize probes the received file and starts the auto job on it;
// a file that is not a usable video is removed.
func (a *API) startOptimize(w http.ResponseWriter, r *http.Request, c caller, id string, size int64, sum string) error {
	fail := func(err error) error {
		_ = os.RemoveAll(a.files.upload(id))
		return err
	}
	info, err := media.ProbeFile(r.Context(), a.cfg.FFprobe, a.files.source(id))
	if err != nil {
		if errors.Is(err, media.ErrInvalidInput) {
			return fail(errorf(http.StatusUnprocessableEntity, codeSourceInvalid, "%v", err))
		}
		return fail(err)
	}
	if info.Duration > a.cfg.MaxDuration {
		return fail(errorf(http.StatusUnprocessableEntity, codeSourceTooLong, "the video lasts %s; the limit is %s",
			info.Duration.Round(time.Second), a.cfg.MaxDuration))
	}
	src := sourceInfo(info, size, sum)
	if err := supported(*src); err != nil {
		return fail(err)
	}
	now := a.now()
	u := upload{
		ID: id, Owner: c.owner, Status: uploadCompleted, FileName: "video", MimeType: "application/octet-stream",
		FileSize: size, ChunkSize: size, TotalChunks: 1, CreatedAt: now, ExpiresAt: now.Add(a.cfg.UploadTTL),
		SHA256: sum, Source: src,
	}
	if err := a.quota.admitUpload(r.Context(), c.owner, now, size, func(ctx context.Context) error {
		return a.insertUpload(ctx, u)
	}); err != nil {
		_ = os.RemoveAll(a.files.upload(id))
		return err
	}
	req := JobRequest{Source: JobSource{Type: "upload", UploadID: id}, Profile: profileAuto}
	if err := req.validate(); err != nil {
		return err
	}
	j := job{
		ID: newID("job_"), Owner: c.owner, Status: jobQueued, Profile: profileAuto, Req: req, Source: src, CreatedAt: now,
		Progress: Progress{Phase: jobQueued},
	}
	if err := a.quota.admit(r.Context(), c.owner, now, func(ctx context.Context) error { return a.insertJob(ctx, j) }); err != nil {
		_ = a.dropUpload(context.WithoutCancel(r.Context()), id, uploadCanceled) // its file is no use now
		return err
	}
	a.wake()
	httpjson.Write(w, http.StatusAccepted, optimizeAccepted{
		ID: j.ID, Status: "processing", OriginalSize: size, PollURL: "/api/optimize/" + j.ID,
	})
	return nil
}

// optimizeStatus answers a poll in the Ghost Stream API's shape.
func (a *API) optimizeStatus(w http.ResponseWriter, r *http.Request, c caller) error {
	j, err := a.loadJob(r.Context(), c.owner, r.PathValue("id"))
	if err != nil {
		return err
	}
	out := optimizeStatus{ID: j.ID, Status: "processing", Progress: int(j.Progress.Percent)}
	if j.Source != nil {
		out.OriginalSize = j.Source.Bytes
	}
	switch j.Status {
	case jobCompleted:
		res := j.Result
		pct := int(math.Round(res.ReductionPercent))
		out.Status, out.Progress, out.OptimizedSize, out.ReductionPct = "complete", 100, &res.Output.Bytes, &pct
		out.DownloadURL = "/api/optimize/" + j.ID + "/download"
		out.Metrics = &optimizeMetrics{
			CompressionRatio: fmt.Sprintf("%.1fx", res.CompressionRatio),
			OutputResolution: fmt.Sprintf("%dx%d", res.Output.Width, res.Output.Height),
			Encoder:          encoderName(res.EffectiveProfile), SSIM: res.SSIM, PSNR: res.PSNR, FinalArtifact: res.FinalArtifact,
		}
	case jobFailed, jobCanceled:
		out.Status, out.Error = "error", j.Error
	}
	httpjson.Write(w, http.StatusOK, out)
	return nil
}

// encoderName reads "h264-faster-crf24" as "H.264 CRF 24".
func encoderName(profile string) string {
	f := strings.Split(profile, "-")
	if len(f) < 3 {
		return profile
	}
	names := map[string]string{"h264": "H.264", "hevc": "HEVC", "vp9": "VP9", "av1": "AV1"}
	name := names[f[0]]
	if name == "" {
		name = f[0]
	}
	return name + " CRF " + strings.TrimPrefix(f[2], "crf")
}
