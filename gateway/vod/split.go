package vod

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"time"

	"github.com/castmesh/castmesh/pkg/media"
	"github.com/castmesh/castmesh/pkg/proc"
)

// splitSegment is one piece of the source, cut at a keyframe.
type splitSegment struct {
	seq      int64
	path     string
	duration time.Duration
	startPTS int64
	frames   int64
}

// split cuts the source at keyframes into MPEG-TS segments of about
// jobs.segment_duration, with ffmpeg's segment muxer (no re-encoding), and
// probes each. The cut is written to a temporary directory and renamed, so
// a resumed job finds it whole or not at all.
func (a *API) split(ctx context.Context, j job, source string) ([]splitSegment, error) {
	dir := a.files.split(j.ID)
	if _, err := os.Stat(dir); os.IsNotExist(err) {
		if err := a.cut(ctx, j, source, dir); err != nil {
			return nil, err
		}
	}
	names, err := filepath.Glob(filepath.Join(dir, "*.ts"))
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var out []splitSegment
	for _, name := range names {
		seq, err := strconv.ParseInt(filepath.Base(name[:len(name)-3]), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("split: unexpected file %s", name)
		}
		data, err := os.ReadFile(name)
		if err != nil {
			return nil, err
		}
		info, err := media.ProbeTS(data)
		if err != nil {
			return nil, errorf(http.StatusUnprocessableEntity, codeSourceInvalid, "segment %d of the source: %v", seq, err)
		}
		out = append(out, splitSegment{
			seq: seq, path: name, duration: info.Duration, startPTS: info.Video.FirstPTS, frames: info.Video.Frames,
		})
	}
	if len(out) == 0 {
		return nil, errorf(http.StatusUnprocessableEntity, codeSourceInvalid, "the source has no video to cut")
	}
	return out, nil
}

func (a *API) cut(ctx context.Context, j job, source, dir string) error {
	tmp := dir + ".tmp"
	_ = os.RemoveAll(tmp)
	if err := os.MkdirAll(tmp, 0o700); err != nil {
		return err
	}
	// The source is a caller's file, already probed: the same whitelists.
	args := append([]string{"-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-format_whitelist", media.SourceFormats},
		proc.Input(source)...)
	args = append(args, "-map", "0:v:0")
	if j.Req.Output.audio() {
		args = append(args, "-map", "0:a:0?")
	}
	args = append(args, "-c", "copy", "-f", "segment", "-segment_format", "mpegts",
		"-segment_time", strconv.FormatFloat(a.cfg.Jobs.SegmentDuration.Seconds(), 'f', 3, 64),
		"-reset_timestamps", "0", "-muxdelay", "0", filepath.Join(tmp, "%06d.ts"))
	if _, err := proc.Run(ctx, proc.Cmd{Path: a.ffmpeg(), Args: args}); err != nil {
		_ = os.RemoveAll(tmp)
		if ctx.Err() != nil {
			return err
		}
		return errorf(http.StatusUnprocessableEntity, codeSourceInvalid, "cutting the source: %v", err)
	}
	return os.Rename(tmp, dir)
}

func (a *API) ffmpeg() string {
	if a.cfg.FFmpeg == "" {
		return "ffmpeg"
	}
	return a.cfg.FFmpeg
}
