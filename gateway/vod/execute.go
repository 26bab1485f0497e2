package vod

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"math/big"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/castmesh/castmesh/gateway/selection"
	"github.com/castmesh/castmesh/pkg/media"
)

// Transcoder sends segments to the network: gateway/selection.
type Transcoder interface {
	Transcode(ctx context.Context, streamID string, seg media.Segment, profiles []media.Profile) ([]media.Rendition, error)
	EndStream(ctx context.Context, streamID string)
}

// maxAutoPasses bounds auto's encodes: the first and two stricter ones.
const maxAutoPasses = 3

// execute runs a job from wherever it stands to its end. An *Error return
// fails the job for good; any other error is tried again.
func (a *API) execute(ctx context.Context, j job, logger *slog.Logger) error {
	if err := a.setPhase(ctx, j.ID, jobProbing, Progress{Phase: jobProbing}); err != nil {
		return err
	}
	src, path, err := a.source(ctx, &j)
	if err != nil {
		return err
	}
	segs, err := a.split(ctx, j, path)
	if err != nil {
		return err
	}
	var frames int64
	for _, s := range segs {
		frames += s.frames
	}
	set, err := a.plan(j, src)
	if err != nil {
		return err
	}
	res := &Result{FinalArtifact: "output"}
	paid := new(big.Rat)
	for pass := 1; ; pass++ {
		res.EffectiveProfile, res.Passes = set.name(), pass
		out, err := a.encodePass(ctx, j, pass, set, src, segs, frames)
		if err != nil {
			return err
		}
		if err := a.setPhase(ctx, j.ID, jobMuxing, Progress{Phase: jobMuxing, Percent: 95, FramesDone: frames, FramesTotal: frames}); err != nil {
			return err
		}
		if err := a.muxPass(ctx, j, out); err != nil {
			return err
		}
		res.BilledPixels += out.pixels
		paid.Add(paid, out.paid)
		logger.Info("pass done", "pass", pass, "profile", set.name(), "bytes", out.bytes, "ssim", out.ssim, "psnr", out.psnr)
		if j.Profile != profileAuto || out.ssim >= a.cfg.Jobs.AutoSSIM || pass == maxAutoPasses || set.crf <= 12 {
			if err := a.publish(j, out); err != nil {
				return err
			}
			res.SSIM, res.PSNR = round(out.ssim, 4), round(out.psnr, 2)
			res.Output = out.info
			break
		}
		set.crf -= 3 // stricter, and again
	}
	if j.Profile == profileAuto && j.Req.Output.Container != "hls" && res.Output.Bytes >= src.Bytes {
		// No smaller file kept the quality: the source is the answer. (An
		// HLS ladder is asked for its packaging, not its size.)
		res.FinalArtifact = "original"
		res.Output = OutputInfo{
			Bytes: src.Bytes, SHA256: src.SHA256, DurationSeconds: src.DurationSeconds, Width: src.Width, Height: src.Height,
			VideoCodec: src.VideoCodec, AudioCodec: src.AudioCodec, Frames: src.Frames, Renditions: 1,
		}
		res.SSIM, res.PSNR = 1, 0
		if j.Req.Source.Type == "url" {
			if err := os.Rename(a.files.fetched(j.ID), filepath.Join(a.files.output(j.ID), "original")); err != nil {
				return err
			}
		}
	}
	res.AmountPaidWei = paid.FloatString(0)
	if src.Bytes > 0 && res.Output.Bytes > 0 {
		res.ReductionPercent = round(100*(1-float64(res.Output.Bytes)/float64(src.Bytes)), 2)
		res.CompressionRatio = round(float64(src.Bytes)/float64(res.Output.Bytes), 3)
	}
	if err := a.finish(ctx, j.ID, jobCompleted, "", res); err != nil {
		return err
	}
	a.notify(context.WithoutCancel(ctx), j.ID)
	logger.Info("job completed", "final", res.FinalArtifact, "reduction_pct", res.ReductionPercent, "ssim", res.SSIM)
	_ = os.RemoveAll(a.files.work(j.ID))
	return nil
}

func round(x float64, digits int) float64 {
	p := math.Pow10(digits)
	return math.Round(x*p) / p
}

// setPhase records a job's state and progress.
func (a *API) setPhase(ctx context.Context, id, status string, p Progress) error {
	b, _ := json.Marshal(p)
	_, err := a.db.ExecContext(ctx, a.db.Q(`UPDATE vod_jobs SET status = ?, progress = ? WHERE id = ? AND lease_owner = ?`),
		status, string(b), id, a.runner.instance)
	return err
}

// source returns the job's source facts and file: an upload's, or a URL's
// fetched and probed (once: a resumed job finds it).
func (a *API) source(ctx context.Context, j *job) (SourceInfo, string, error) {
	if j.Req.Source.Type == "upload" {
		if j.Source == nil {
			return SourceInfo{}, "", errorf(http.StatusUnprocessableEntity, codeSourceInvalid, "the upload has no facts")
		}
		path := a.files.source(j.Req.Source.UploadID)
		if _, err := os.Stat(path); err != nil {
			return SourceInfo{}, "", errorf(http.StatusUnprocessableEntity, codeSourceInvalid, "the upload's file is gone")
		}
		return *j.Source, path, nil
	}
	path := a.files.fetched(j.ID)
	if j.Source != nil {
		if _, err := os.Stat(path); err == nil {
			return *j.Source, path, nil
		}
	}
	size, sum, err := a.fetch(ctx, j.Req.Source.URL, path)
	if err != nil {
		return SourceInfo{}, "", err
	}
	info, err := media.ProbeFile(ctx, a.cfg.FFprobe, path)
	if err != nil {
		if errors.Is(err, media.ErrInvalidInput) {
			return SourceInfo{}, "", errorf(http.StatusUnprocessableEntity, codeSourceInvalid, "%v", err)
		}
		return SourceInfo{}, "", err
	}
	if info.Duration > a.cfg.MaxDuration {
		return SourceInfo{}, "", errorf(http.StatusUnprocessableEntity, codeSourceTooLong, "the video lasts %s; the limit is %s",
			info.Duration.Round(time.Second), a.cfg.MaxDuration)
	}
	src := sourceInfo(info, size, sum)
	if err := supported(*src); err != nil {
		return SourceInfo{}, "", err
	}
	b, _ := json.Marshal(src)
	if _, err := a.db.ExecContext(ctx, a.db.Q(`UPDATE vod_jobs SET source = ? WHERE id = ?`), string(b), j.ID); err != nil {
		return SourceInfo{}, "", err
	}
	j.Source = src
	return *src, path, nil
}

// plan turns the job's profile and options into the encode's settings.
func (a *API) plan(j job, src SourceInfo) (settings, error) {
	o := j.Req.Output
	s := settings{height: src.Height, bitDepth: o.BitDepth, hls: o.Container == "hls"}
	if o.TargetHeight > 0 && o.TargetHeight < src.Height {
		s.height = o.TargetHeight
	}
	if j.Profile == profileAuto {
		// faster: most of medium's compression at twice its speed; the
		// quality check makes up for the rest.
		s.codec, s.preset = media.H264, "faster"
		if o.Codec != "" {
			s.codec = media.VideoCodec(o.Codec)
		}
		s.crf = autoCRF(s.codec, src)
		return s, nil
	}
	codec, t, ok := parseProfile(j.Profile)
	if !ok {
		return settings{}, errorf(http.StatusBadRequest, codeUnknownProfile, "unknown profile %q", j.Profile)
	}
	s.codec, s.preset, s.crf = codec, t.preset, baseCRF(codec)+t.offset
	return s, nil
}

// passOutput is what one pass made.
type passOutput struct {
	pass          int
	dir           string
	profiles      []media.Profile
	width, height int
	// renditions lists each profile's segment files in order.
	renditions [][]renditionFile
	pixels     int64
	paid       *big.Rat
	// info is the output's facts.
	info       OutputInfo
	bytes      int64
	ssim, psnr float64
}

// renditionFile is one encoded segment of one rendition.
type renditionFile struct {
	path, init string
	duration   time.Duration
	bytes      int64
}

// encodePass sends every segment not yet encoded in this pass to the
// network, parallel jobs.parallel wide, and reports progress.
func (a *API) encodePass(ctx context.Context, j job, pass int, set settings, src SourceInfo, segs []splitSegment, frames int64) (*passOutput, error) {
	out := &passOutput{pass: pass, dir: a.files.pass(j.ID, pass)}
	out.profiles = set.profiles(src.Width, src.Height, src.FrameRate)
	if err := media.ValidateLadder(out.profiles); err != nil {
		return nil, fmt.Errorf("planning the ladder: %w", err)
	}
	out.width, out.height = media.OutputSize(src.Width, src.Height, out.profiles[0])
	done, err := a.doneSegments(ctx, j.ID, pass)
	if err != nil {
		return nil, err
	}
	prog := newProgress(a, j.ID, frames, a.now())
	for _, s := range segs {
		if _, ok := done[s.seq]; ok {
			prog.add(s.frames, false)
		}
	}
	if err := prog.flush(ctx, true); err != nil {
		return nil, err
	}
	lanes := a.lanes()
	defer func() {
		for lane := range lanes {
			a.deps.Transcoder.EndStream(context.WithoutCancel(ctx), laneID(j.ID, pass, lane))
		}
	}()
	// A pass that makes no progress for jobs.stall_timeout is stopped; the
	// job is then tried again (on other orchestrators, as selection sees
	// them fail).
	sctx, stalled := context.WithCancelCause(ctx)
	defer stalled(nil)
	go prog.watch(sctx, a.cfg.Jobs.StallTimeout, stalled)
	// Lanes send segments to the network; each segment's top rendition is
	// measured against the source as it comes back, in a pool of its own,
	// so the measuring overlaps the encoding; the segment is recorded done
	// once measured.
	g, gctx := errgroup.WithContext(sctx)
	measure := make(chan encoded)
	var mg errgroup.Group
	mg.SetLimit(measurers)
	g.Go(func() error {
		for e := range measure {
			mg.Go(func() error {
				err := a.measureSegment(gctx, j.ID, pass, e, out.profiles[0], out.width, out.height)
				if err != nil {
					return err
				}
				prog.add(e.seg.frames, true)
				return prog.flush(gctx, false)
			})
		}
		return mg.Wait()
	})
	lg, lctx := errgroup.WithContext(gctx)
	lg.SetLimit(lanes)
	for i, s := range segs {
		if _, ok := done[s.seq]; ok {
			continue
		}
		lg.Go(func() error {
			px, paid, err := a.encodeSegment(lctx, j.ID, pass, laneID(j.ID, pass, i%lanes), s, out.profiles)
			if err != nil {
				return err
			}
			select {
			case measure <- encoded{seg: s, pixels: px, paid: paid}:
				return nil
			case <-lctx.Done():
				return lctx.Err()
			}
		})
	}
	err = lg.Wait()
	close(measure)
	if gerr := g.Wait(); err == nil {
		err = gerr
	}
	if err != nil {
		if errors.Is(context.Cause(sctx), errStalled) && ctx.Err() == nil {
			return nil, errStalled
		}
		return nil, err
	}
	totals, err := a.passQuality(ctx, j.ID, pass)
	if err != nil {
		return nil, err
	}
	out.pixels, out.paid, out.ssim, out.psnr = totals.pixels, totals.paid, totals.ssim, totals.psnr
	for _, p := range out.profiles {
		var files []renditionFile
		for _, s := range segs {
			f := a.renditionPath(j.ID, pass, p, s.seq)
			st, err := os.Stat(f.path)
			if err != nil {
				return nil, fmt.Errorf("rendition %s segment %d: %w", p.Name, s.seq, err)
			}
			f.duration, f.bytes = s.duration, st.Size()
			files = append(files, f)
		}
		out.renditions = append(out.renditions, files)
	}
	return out, nil
}

// lanes is how many segments of a job go out at once: jobs.parallel, or
// fewer when the orchestrators have fewer job slots in all, so that no
// segment waits in a queue until it times out.
func (a *API) lanes() int {
	n := a.cfg.Jobs.Parallel
	if c, ok := a.deps.Transcoder.(interface{ Capacity() int }); ok {
		if capacity := c.Capacity(); capacity > 0 {
			n = min(n, capacity)
		}
	}
	return n
}

// laneID names one of a job's parallel lanes to selection: each lane is a
// stream of its own, so lanes spread over orchestrators.
func laneID(job string, pass, lane int) string { return fmt.Sprintf("%s/p%d/l%d", job, pass, lane) }

// encodeSegment transcodes one segment and keeps its renditions; it
// returns the pixels made and what they cost.
func (a *API) encodeSegment(ctx context.Context, jobID string, pass int, lane string, s splitSegment, profiles []media.Profile) (int64, *big.Rat, error) {
	data, err := os.ReadFile(s.path)
	if err != nil {
		return 0, nil, err
	}
	sctx, spend := selection.WithSpend(ctx)
	rs, err := a.deps.Transcoder.Transcode(sctx, lane, media.Segment{Seq: s.seq, Data: data, Duration: s.duration, StartPTS: s.startPTS}, profiles)
	if err != nil {
		if media.IsInputError(err) {
			return 0, nil, errorf(http.StatusUnprocessableEntity, codeSourceInvalid, "segment %d: %v", s.seq, err)
		}
		return 0, nil, fmt.Errorf("segment %d: %w", s.seq, err)
	}
	if len(rs) != len(profiles) {
		return 0, nil, fmt.Errorf("segment %d: %d renditions for %d profiles", s.seq, len(rs), len(profiles))
	}
	var pixels int64
	for i, r := range rs {
		f := a.renditionPath(jobID, pass, profiles[i], s.seq)
		if r.Init != nil {
			if _, err := writeFileBytes(f.init, r.Init); err != nil {
				return 0, nil, err
			}
		}
		if _, err := writeFileBytes(f.path, r.Data); err != nil {
			return 0, nil, err
		}
		pixels += int64(r.Width) * int64(r.Height) * r.Frames
	}
	return pixels, spend.Wei(), nil
}

// measurers is how many segments are measured at once.
const measurers = 2

// encoded is a segment back from the network, to be measured.
type encoded struct {
	seg    splitSegment
	pixels int64
	paid   *big.Rat
}

// measureSegment measures a segment's top rendition against the source
// segment and records the segment done, with its pixels and quality.
func (a *API) measureSegment(ctx context.Context, jobID string, pass int, e encoded, top media.Profile, w, h int) error {
	f := a.renditionPath(jobID, pass, top, e.seg.seq)
	path, format := f.path, "mpegts"
	if f.init != "" {
		path, format = f.path+".whole.mp4", "mov"
		if _, _, err := concat(path, []string{f.init, f.path}); err != nil {
			return err
		}
		defer os.Remove(path)
	}
	ssim, psnr, err := a.quality(ctx, path, format, e.seg.path, w, h)
	if err != nil {
		return fmt.Errorf("segment %d: %w", e.seg.seq, err)
	}
	_, err = a.db.ExecContext(ctx, a.db.Q(`INSERT INTO vod_job_segments (job_id, pass, seq, frames, pixels, ssim, psnr, paid_wei)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (job_id, pass, seq) DO NOTHING`),
		jobID, pass, e.seg.seq, e.seg.frames, e.pixels, ssim, psnr, e.paid.RatString())
	return err
}

// passTotals sums a pass's segments: the pixels made and what they cost,
// the mean SSIM over frames, and the PSNR of the mean squared error over
// frames (as ffmpeg's psnr filter averages a whole file).
type passTotals struct {
	pixels     int64
	paid       *big.Rat
	ssim, psnr float64
}

func (a *API) passQuality(ctx context.Context, jobID string, pass int) (passTotals, error) {
	t := passTotals{paid: new(big.Rat)}
	rows, err := a.db.QueryContext(ctx, a.db.Q(`SELECT frames, pixels, ssim, psnr, paid_wei FROM vod_job_segments
		WHERE job_id = ? AND pass = ?`), jobID, pass)
	if err != nil {
		return t, err
	}
	defer rows.Close()
	var frames, ssimSum, mseSum float64
	for rows.Next() {
		var f, px int64
		var s, p float64
		var paid string
		if err := rows.Scan(&f, &px, &s, &p, &paid); err != nil {
			return t, err
		}
		wei, ok := new(big.Rat).SetString(paid)
		if !ok {
			return t, fmt.Errorf("segment cost %q", paid)
		}
		t.pixels += px
		t.paid.Add(t.paid, wei)
		frames += float64(f)
		ssimSum += float64(f) * s
		mseSum += float64(f) * mseOf(p)
	}
	if err := rows.Err(); err != nil || frames == 0 {
		return t, err
	}
	t.ssim, t.psnr = ssimSum/frames, psnrOf(mseSum/frames)
	return t, nil
}

// maxPSNR stands for identical frames (an infinite PSNR).
const maxPSNR = 100

// mseOf and psnrOf convert between PSNR (dB) and the mean squared error of
// 8-bit samples.
func mseOf(psnr float64) float64 {
	if psnr >= maxPSNR {
		return 0
	}
	return 255 * 255 / math.Pow(10, psnr/10)
}

func psnrOf(mse float64) float64 {
	if mse <= 0 {
		return maxPSNR
	}
	return min(maxPSNR, 10*math.Log10(255*255/mse))
}

// doneSegments maps the segments a pass has encoded to their pixels.
func (a *API) doneSegments(ctx context.Context, jobID string, pass int) (map[int64]int64, error) {
	rows, err := a.db.QueryContext(ctx, a.db.Q(`SELECT seq, pixels FROM vod_job_segments WHERE job_id = ? AND pass = ?`), jobID, pass)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]int64{}
	for rows.Next() {
		var seq, px int64
		if err := rows.Scan(&seq, &px); err != nil {
			return nil, err
		}
		out[seq] = px
	}
	return out, rows.Err()
}

func (a *API) renditionPath(jobID string, pass int, p media.Profile, seq int64) renditionFile {
	dir := filepath.Join(a.files.pass(jobID, pass), p.Name)
	if p.VideoCodec().Container() == media.FMP4 {
		return renditionFile{path: filepath.Join(dir, fmt.Sprintf("%06d.m4s", seq)), init: filepath.Join(dir, fmt.Sprintf("%06d.init.mp4", seq))}
	}
	return renditionFile{path: filepath.Join(dir, fmt.Sprintf("%06d.ts", seq))}
}

// progress counts a job's frames and writes its progress at most twice a
// second.
type progress struct {
	a       *API
	id      string
	total   int64
	started time.Time

	mu          sync.Mutex
	done, fresh int64
	written     time.Time
	advanced    time.Time // when frames were last added
}

func newProgress(a *API, id string, total int64, now time.Time) *progress {
	return &progress{a: a, id: id, total: max(total, 1), started: now, advanced: now}
}

// errStalled stops a pass that made no progress for jobs.stall_timeout.
var errStalled = errors.New("no progress for the stall timeout")

// watch cancels ctx with errStalled when no frames were added for stall.
func (p *progress) watch(ctx context.Context, stall time.Duration, cancel context.CancelCauseFunc) {
	tick := time.NewTicker(min(stall/4, time.Second))
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		p.mu.Lock()
		idle := p.a.now().Sub(p.advanced)
		p.mu.Unlock()
		if idle > stall {
			cancel(errStalled)
			return
		}
	}
}

func (p *progress) add(frames int64, fresh bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.advanced = p.a.now()
	p.done += frames
	if fresh {
		p.fresh += frames
	}
}

func (p *progress) flush(ctx context.Context, force bool) error {
	p.mu.Lock()
	now := p.a.now()
	if !force && now.Sub(p.written) < 500*time.Millisecond && p.done < p.total {
		p.mu.Unlock()
		return nil
	}
	p.written = now
	phase := 100 * float64(p.done) / float64(p.total)
	pr := Progress{Phase: jobEncoding, Percent: round(5+0.9*phase, 1), PhasePercent: &phase, FramesDone: p.done, FramesTotal: p.total}
	if el := now.Sub(p.started).Seconds(); el > 0 && p.fresh > 0 {
		fps := round(float64(p.fresh)/el, 1)
		eta := int(float64(p.total-p.done) / (float64(p.fresh) / el))
		pr.FPS, pr.ETASeconds = &fps, &eta
	}
	p.mu.Unlock()
	return p.a.setPhase(ctx, p.id, jobEncoding, pr)
}
