package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/castmesh/castmesh/gateway/vod/vodclient"
)

const vodUsage = `castmesh vod submit FILE [flags]   upload a video and run a job on it

Flags:
  --gateway URL        the gateway (default http://127.0.0.1:8935, or CASTMESH_GATEWAY)
  --key KEY            the API key (or CASTMESH_VOD_KEY); none for an open gateway
  --profile P          auto (default), or {h264,hevc,vp9,av1}-{fast,balanced,small}
  --container C        mp4 (default), mkv or hls
  --target-height H    downscale to this height
  --wait               wait for the job, showing its progress
  -o OUT               with --wait: download the result to OUT

An interrupted upload resumes when the same command runs again.
`

// runVOD runs `castmesh vod …`.
func runVOD(ctx context.Context, e env) error {
	if len(e.args) == 0 || e.args[0] != "submit" {
		fmt.Fprint(e.stderr, vodUsage)
		return flag.ErrHelp
	}
	fs := flag.NewFlagSet("vod submit", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() { fmt.Fprint(e.stderr, vodUsage) }
	gateway := fs.String("gateway", lookupEnv(e.environ, "CASTMESH_GATEWAY", "http://127.0.0.1:8935"), "")
	key := fs.String("key", lookupEnv(e.environ, "CASTMESH_VOD_KEY", ""), "")
	profile := fs.String("profile", "auto", "")
	container := fs.String("container", "mp4", "")
	height := fs.Int("target-height", 0, "")
	wait := fs.Bool("wait", false, "")
	out := fs.String("o", "", "")
	args := e.args[1:]
	var file string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		file, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if file == "" && fs.NArg() == 1 {
		file = fs.Arg(0)
	}
	if file == "" {
		fs.Usage()
		return errors.New("name the file to submit")
	}
	if *out != "" && !*wait {
		return errors.New("-o needs --wait")
	}
	state, _ := os.UserCacheDir()
	c := &vodclient.Client{Base: *gateway, Key: *key, HTTP: http.DefaultClient, StateDir: filepath.Join(state, "castmesh", "uploads")}
	bar := &progressBar{w: e.stderr}
	id, err := c.Upload(ctx, file, func(done, total int64) {
		bar.show("upload", 100*float64(done)/float64(max(total, 1)), fmt.Sprintf("%d/%d MB", done>>20, total>>20))
	})
	bar.end()
	if err != nil {
		return err
	}
	output := map[string]any{"container": *container}
	if *height > 0 {
		output["target_height"] = *height
	}
	job, err := c.CreateJob(ctx, map[string]any{
		"source": map[string]any{"type": "upload", "upload_id": id}, "profile": *profile, "output": output,
	}, fmt.Sprintf("%s:job:%s:%s:%d", id, *profile, *container, *height))
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "job %s\n", job.ID)
	if !*wait {
		return nil
	}
	job, err = c.Wait(ctx, job.ID, func(j vodclient.Job) {
		detail := j.Progress.Phase
		if j.Progress.FPS != nil && j.Progress.ETASeconds != nil {
			detail = fmt.Sprintf("%s %.0f fps, %ds left", detail, *j.Progress.FPS, *j.Progress.ETASeconds)
		}
		bar.show("job", j.Progress.Percent, detail)
	})
	bar.end()
	if err != nil {
		return err
	}
	if job.Status != "completed" {
		reason := ""
		if job.Error != nil {
			reason = ": " + *job.Error
		}
		return fmt.Errorf("job %s %s%s", job.ID, job.Status, reason)
	}
	r := job.Result
	fmt.Fprintf(e.stdout, "%s: %s, %.1f%% smaller (%.2f×), SSIM %.4f, PSNR %.2f dB\n",
		r.FinalArtifact, r.EffectiveProfile, r.ReductionPct, r.CompressionRatio, r.SSIM, r.PSNR)
	if *out != "" {
		if err := c.Download(ctx, job, *out); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "wrote %s\n", *out)
	}
	return nil
}

func lookupEnv(environ []string, name, def string) string {
	for _, kv := range environ {
		if v, ok := strings.CutPrefix(kv, name+"="); ok && v != "" {
			return v
		}
	}
	return def
}

// progressBar redraws one line on a terminal.
type progressBar struct {
	w     io.Writer
	drawn bool
}

func (b *progressBar) show(label string, percent float64, detail string) {
	const width = 30
	filled := min(width, max(0, int(percent/100*width)))
	fmt.Fprintf(b.w, "\r%-7s [%s%s] %5.1f%%  %-40s", label, strings.Repeat("#", filled), strings.Repeat(".", width-filled), percent, detail)
	b.drawn = true
}

func (b *progressBar) end() {
	if b.drawn {
		fmt.Fprintln(b.w)
		b.drawn = false
	}
}
