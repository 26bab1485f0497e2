package vod

import (
	"context"
	"fmt"
	"regexp"
	"strconv"

	"github.com/castmesh/castmesh/pkg/proc"
)

// quality measures an output against its source with ffmpeg's ssim and
// psnr filters: the source scaled to the output's size (bicubic), both as
// 8-bit 4:2:0, frame by frame in order (the workers keep every frame, so
// frame n of one is frame n of the other whatever the timestamps). It
// returns the mean SSIM (0 to 1) and PSNR (dB) over all planes. The
// output is an orchestrator's, in outputFormat (mpegts, or mov for fMP4);
// the source is a segment of the cut, in MPEG-TS: each is read as that.
func (a *API) quality(ctx context.Context, output, outputFormat, source string, w, h int) (float64, float64, error) {
	graph := fmt.Sprintf("[0:v]setpts=N/TB,format=yuv420p,split[d1][d2];"+
		"[1:v]setpts=N/TB,scale=%d:%d:flags=bicubic,format=yuv420p,split[r1][r2];"+
		"[d1][r1]ssim;[d2][r2]psnr", w, h)
	var stderr proc.TailBuffer
	stderr.Max = 16 << 10
	args := append([]string{"-hide_banner", "-nostdin", "-loglevel", "info"}, proc.InputAs(outputFormat, output)...)
	args = append(append(args, proc.InputAs("mpegts", source)...), "-lavfi", graph, "-f", "null", "-")
	_, err := proc.Run(ctx, proc.Cmd{Path: a.ffmpeg(), Stderr: &stderr, Args: args})
	if err != nil {
		return 0, 0, fmt.Errorf("measuring quality: %w", err)
	}
	return parseQuality(stderr.String())
}

// parseQuality reads the summary lines the ssim and psnr filters log.
func parseQuality(log string) (float64, float64, error) {
	s := regexp.MustCompile(`SSIM .*All:([0-9.]+)`).FindStringSubmatch(log)
	p := regexp.MustCompile(`PSNR .*average:([0-9.]+|inf)`).FindStringSubmatch(log)
	if s == nil || p == nil {
		return 0, 0, fmt.Errorf("measuring quality: no SSIM and PSNR summary in ffmpeg's log")
	}
	ssim, err := strconv.ParseFloat(s[1], 64)
	if err != nil {
		return 0, 0, err
	}
	if p[1] == "inf" {
		return ssim, maxPSNR, nil // identical frames
	}
	psnr, err := strconv.ParseFloat(p[1], 64)
	return ssim, psnr, err
}
