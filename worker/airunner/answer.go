package airunner

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/castmesh/castmesh/ai/pipeline"
	"github.com/castmesh/castmesh/ai/runnerclient"
	"github.com/castmesh/castmesh/pkg/proc"
)

// readSize is how much of a runner's answer is read at a time; a streamed
// llm answer passes on whatever has arrived.
const readSize = 256 << 10

// stream passes a runner's answer on as it arrives.
func stream(resp *runnerclient.Response, out func(string, []byte) error) error {
	ct := resp.ContentType
	buf := make([]byte, readSize)
	for {
		n, err := resp.Body.Read(buf)
		if n > 0 {
			if oerr := out(ct, bytes.Clone(buf[:n])); oerr != nil {
				return oerr
			}
			ct = ""
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("reading the runner's answer: %w", err)
		}
	}
}

// maxVideoAnswer bounds a runner's image-to-video answer (frames as PNG
// data URLs): 25 frames of 2048² are under 400 MB.
const maxVideoAnswer = 512 << 20

// video encodes a runner's frames to an MP4 at the request's fps and
// answers the gateway API's shape.
func (m *Manager) video(ctx context.Context, job Job, resp *runnerclient.Response, out func(string, []byte) error) error {
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxVideoAnswer))
	if err != nil {
		return fmt.Errorf("reading the runner's answer: %w", err)
	}
	frames, err := pipeline.DecodeRunnerVideo(body)
	if err != nil {
		return err
	}
	req, err := m.decoder.Decode(ctx, pipeline.ImageToVideo, job.ContentType, job.Body)
	if err != nil {
		return err
	}
	mp4, err := m.encodeMP4(ctx, frames, req.(*pipeline.ImageToVideoParams).FPS)
	if err != nil {
		return err
	}
	nsfw := false
	for _, f := range frames {
		nsfw = nsfw || f.NSFW
	}
	answer, err := json.Marshal(pipeline.VideoResponse{Images: []pipeline.MediaJSON{{
		URL: pipeline.DataURL("video/mp4", mp4), Seed: frames[0].Seed, NSFW: nsfw,
	}}})
	if err != nil {
		return err
	}
	return out("application/json", answer)
}

// encodeTimeout bounds encoding a runner's frames: at most maxVideoAnswer
// of PNGs (a few hundred frames of a short clip) take seconds at veryfast;
// an encode still running after this is stuck.
const encodeTimeout = 5 * time.Minute

// encodeMP4 encodes frames (PNG or JPEG images of one size) to H.264 in
// an MP4 that browsers play.
func (m *Manager) encodeMP4(ctx context.Context, frames []pipeline.Media, fps int) ([]byte, error) {
	dir, err := os.MkdirTemp("", "castmesh-i2v-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	// ffmpeg's image2 demuxer tells the codec by the file extension.
	ext := ".png"
	if frames[0].MIME == "image/jpeg" {
		ext = ".jpg"
	}
	for i, f := range frames {
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%05d%s", i, ext)), f.Data, 0o600); err != nil {
			return nil, err
		}
	}
	outPath := filepath.Join(dir, "out.mp4")
	ctx, cancel := context.WithTimeout(ctx, encodeTimeout)
	defer cancel()
	var stderr bytes.Buffer
	// The frames are the runner's bytes: read as numbered images through
	// local protocols only.
	args := append([]string{"-hide_banner", "-loglevel", "error", "-nostdin", "-framerate", fmt.Sprint(fps)},
		proc.InputAs("image2", filepath.Join(dir, "%05d"+ext))...)
	cmd := exec.CommandContext(ctx, m.cfg.FFmpeg, append(args,
		// Even sizes, 4:2:0 and the index up front: what every player takes.
		"-vf", "scale=trunc(iw/2)*2:trunc(ih/2)*2", "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p",
		"-movflags", "+faststart", outPath)...)
	cmd.Stderr = &stderr
	cmd.WaitDelay = proc.WaitDelay
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("encoding %d frames: %w: %s", len(frames), err, bytes.TrimSpace(stderr.Bytes()))
	}
	return os.ReadFile(outPath)
}
