package vod

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"sync/atomic"

	"github.com/castmesh/castmesh/pkg/media"
)

// localTranscoder stands in for the network in these tests: it encodes
// each segment with a local ffmpeg, one run per profile (H.264 and HEVC in
// MPEG-TS, with the worker's timestamp options), and counts the segments.
// The real path (selection, orchestrators, workers) is tested end to end
// in test/e2e.
type localTranscoder struct {
	calls   atomic.Int64
	streams sync.Map // stream id → true, ended streams deleted
	// hold, when set, blocks every segment until ctx ends.
	hold bool
	// after, when set, runs after each segment with its count.
	after func(ctx context.Context, n int64)
}

func (l *localTranscoder) Transcode(ctx context.Context, streamID string, seg media.Segment, profiles []media.Profile) ([]media.Rendition, error) {
	l.streams.Store(streamID, true)
	if l.hold {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	src, err := media.ProbeTS(seg.Data)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", media.ErrInvalidInput, err)
	}
	dir, err := os.MkdirTemp("", "vod-local-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	in := filepath.Join(dir, "in.ts")
	if err := os.WriteFile(in, seg.Data, 0o600); err != nil {
		return nil, err
	}
	var out []media.Rendition
	for i, p := range profiles {
		w, h := media.OutputSize(src.Video.Width, src.Video.Height, p)
		enc := map[media.VideoCodec]string{media.H264: "libx264", media.HEVC: "libx265"}[p.VideoCodec()]
		if enc == "" {
			return nil, fmt.Errorf("the local transcoder makes H.264 and HEVC, not %s", p.VideoCodec())
		}
		path := filepath.Join(dir, fmt.Sprintf("%d.ts", i))
		args := []string{
			"-hide_banner", "-loglevel", "error", "-nostdin", "-copyts", "-i", in,
			"-vf", fmt.Sprintf("scale=%d:%d", w, h), "-c:v", enc, "-preset", "ultrafast", "-crf", fmt.Sprint(p.Quality),
			"-c:a", "copy", "-muxdelay", "0", "-f", "mpegts", path,
		}
		if b, err := exec.CommandContext(ctx, "ffmpeg", args...).CombinedOutput(); err != nil {
			return nil, fmt.Errorf("ffmpeg: %w: %s", err, b)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		info, err := media.ProbeTS(data)
		if err != nil {
			return nil, err
		}
		out = append(out, media.Rendition{
			Profile: p, Width: info.Video.Width, Height: info.Video.Height, Frames: info.Video.Frames,
			Container: media.MPEGTS, Data: data, Codecs: info.Codecs(),
		})
	}
	n := l.calls.Add(1)
	if l.after != nil {
		l.after(ctx, n)
	}
	return out, ctx.Err()
}

func (l *localTranscoder) EndStream(_ context.Context, streamID string) { l.streams.Delete(streamID) }
