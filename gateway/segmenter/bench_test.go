package segmenter_test

import (
	"testing"
	"time"

	"github.com/castmesh/castmesh/gateway/segmenter"
	"github.com/castmesh/castmesh/pkg/media"
	"github.com/castmesh/castmesh/test/fixture"
)

// BenchmarkSegmenter1080p feeds one long-running Segmenter 4 s of 1080p30
// H.264 (6 Mbit/s) + AAC per iteration, timestamps moving on each time, and
// reports the steady-state cost per second of media.
func BenchmarkSegmenter1080p(b *testing.B) {
	spec := fixture.ClipSpec{
		Width: 1920, Height: 1080, FPS: 30, Duration: 4 * time.Second, GOP: 2 * time.Second,
		Audio: true, Format: "flv", Bitrate: 6_000_000,
	}
	videoConf, audioConf, frames := split(readFLV(b, fixture.Clip(b, spec)))
	var size int64
	for _, f := range frames {
		size += int64(len(f.data))
	}
	var segs int
	s, err := segmenter.New(segmenter.DefaultConfig(), func(media.Segment) { segs++ })
	if err != nil {
		b.Fatal(err)
	}
	if err := s.SetVideoConfig(videoConf); err != nil {
		b.Fatal(err)
	}
	if err := s.SetAudioConfig(audioConf); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(size)
	b.ReportAllocs()
	var base time.Duration
	for b.Loop() {
		for _, f := range frames {
			if err := write(s, shift(f, base)); err != nil {
				b.Fatal(err)
			}
		}
		base += spec.Duration
	}
	if err := s.Close(); err != nil {
		b.Fatal(err)
	}
	if segs != 2*b.N {
		b.Fatalf("%d segments in %d runs, want 2 each", segs, b.N)
	}
	perOp := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	b.ReportMetric(perOp/spec.Duration.Seconds(), "ns/media-s")
	b.ReportMetric(100*perOp/spec.Duration.Seconds()/1e9, "%core")
}

func write(s *segmenter.Segmenter, f frame) error {
	if f.video {
		return s.WriteVideo(f.dts, f.pts, f.data)
	}
	return s.WriteAudio(f.pts, f.data)
}
