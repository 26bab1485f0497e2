// Command passthrough is a worker that does no transcoding: it answers
// every segment with the input itself as each ordered rendition. It
// connects to an orchestrator the way `castmesh worker` does (the same hub
// client), so a benchmark can measure what the network costs per segment
// without ffmpeg in the way: `make bench` uses it to count the segments one
// gateway can route.
//
// Its renditions pass the gateway's verification only when every profile
// ordered has the source's size and frame rate, so benchmarks order such a
// ladder. It is a test tool, never part of a node.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/castmesh/castmesh/pkg/media"
	"github.com/castmesh/castmesh/worker/hubclient"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "passthrough:", err)
		os.Exit(1) // the one exit: a test's process reports failure by its status
	}
}

func run() error {
	orch := flag.String("orchestrator", "", "the orchestrator's host:port")
	secret := flag.String("secret", "", "the orchestrator's worker secret")
	id := flag.String("id", "", "the worker's id")
	capacity := flag.Int("capacity", 4, "jobs at once")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	c, err := hubclient.New(hubclient.Config{
		Orchestrator: *orch, Secret: *secret, WorkerID: *id, Capacity: *capacity,
		ReconnectMin: 100 * time.Millisecond, ReconnectMax: time.Second, MaxJobBytes: 64 << 20,
	}, passthrough{}, []hubclient.Encoder{{Codec: media.H264, Name: "passthrough"}}, nil, logger,
		hubclient.NewMetrics(prometheus.NewRegistry()))
	if err != nil {
		return err
	}
	return c.Run(ctx)
}

// passthrough answers a job with its input, once per profile.
type passthrough struct{}

func (passthrough) Transcode(_ context.Context, job hubclient.Job) ([]media.Rendition, error) {
	info, err := media.ProbeTS(job.Input)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", hubclient.ErrBadInput, err)
	}
	if info.Video.Codec != media.H264 {
		return nil, errors.New("passthrough answers H.264 input only")
	}
	out := make([]media.Rendition, 0, len(job.Profiles))
	for _, p := range job.Profiles {
		out = append(out, media.Rendition{
			Profile: p, Width: info.Video.Width, Height: info.Video.Height, Frames: info.Video.Frames,
			Container: media.MPEGTS, Data: job.Input, Codecs: info.Codecs(),
		})
	}
	return out, nil
}
