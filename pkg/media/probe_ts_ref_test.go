package media

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"testing"
	"time"

	"github.com/bluenviron/mediacommon/v2/pkg/formats/mpegts"
	tscodecs "github.com/bluenviron/mediacommon/v2/pkg/formats/mpegts/codecs"

	"github.com/castmesh/castmesh/test/fixture"
)

// referenceProbeTS is ProbeTS as it was before castmesh had its own
// demuxer: the same probe fed by mediacommon's MPEG-TS reader (go-astits).
// It is slow (quadratic in a video frame's size) but independent, so the
// tests compare the two.
func referenceProbeTS(data []byte) (TSInfo, error) {
	if err := CheckTSFraming(data); err != nil {
		return TSInfo{}, err
	}
	r := &mpegts.Reader{R: bytes.NewReader(data)}
	if err := r.Initialize(); err != nil {
		return TSInfo{}, fmt.Errorf("%w: %w", ErrNotTS, err)
	}
	p := &tsProbe{}
	for _, t := range r.Tracks() {
		if err := p.referenceTrack(r, t); err != nil {
			return TSInfo{}, err
		}
	}
	if !p.videoSeen {
		return TSInfo{}, ErrNoVideo
	}
	for {
		err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return TSInfo{}, fmt.Errorf("%w: %w", ErrNotTS, err)
		}
	}
	return p.result()
}

func (p *tsProbe) referenceTrack(r *mpegts.Reader, t *mpegts.Track) error {
	switch c := t.Codec.(type) {
	case *tscodecs.H264:
		if p.videoSeen {
			return nil
		}
		p.videoSeen = true
		p.info.Video.Codec = H264
		r.OnDataH264(t, func(pts, _ int64, au [][]byte) error {
			p.onH264(p.timeVideo.Decode(pts), au)
			return nil
		})
	case *tscodecs.H265:
		if p.videoSeen {
			return nil
		}
		p.videoSeen = true
		p.info.Video.Codec = HEVC
		r.OnDataH265(t, func(pts, _ int64, au [][]byte) error {
			p.onH265(p.timeVideo.Decode(pts), au)
			return nil
		})
	case *tscodecs.MPEG1Video:
		return &UnsupportedCodecError{Kind: "video", Codec: "mpeg2video"}
	case *tscodecs.MPEG4Video:
		return &UnsupportedCodecError{Kind: "video", Codec: "mpeg4"}
	case *tscodecs.MPEG4Audio:
		if p.info.Audio != nil {
			return nil
		}
		p.audio("aac", AACCodecString(&c.Config))
		r.OnDataMPEG4Audio(t, func(pts int64, aus [][]byte) error {
			p.onAudio(pts, int64(len(aus)))
			return nil
		})
	case *tscodecs.MPEG1Audio:
		if p.info.Audio != nil {
			return nil
		}
		p.audio("mp3", "mp4a.40.34")
		r.OnDataMPEG1Audio(t, func(pts int64, frames [][]byte) error {
			p.onAudio(pts, int64(len(frames)))
			return nil
		})
	}
	return nil
}

// probeCases are segments of the kinds castmesh meets: H.264 and HEVC,
// with AAC, MP3 or no audio, first and later segments of a clip.
func probeCases(t *testing.T) map[string][]byte {
	t.Helper()
	fixture.RequireTool(t, "ffmpeg")
	specs := map[string]fixture.ClipSpec{
		"h264-aac":    {Width: 320, Height: 180, FPS: 30, Duration: 4 * time.Second, GOP: 2 * time.Second, Audio: true, Format: "mp4"},
		"h264-720p":   {Width: 1280, Height: 720, FPS: 30, Duration: 4 * time.Second, GOP: 2 * time.Second, Audio: true, Bitrate: 3_000_000},
		"hevc-aac":    {Width: 320, Height: 240, FPS: 25, Duration: 4 * time.Second, GOP: 2 * time.Second, Audio: true, Format: "mpegts", VideoCodec: "libx265"},
		"h264-silent": {Width: 256, Height: 144, FPS: 24, Duration: 4 * time.Second, GOP: 2 * time.Second},
	}
	out := map[string][]byte{}
	for name, spec := range specs {
		for i, path := range fixture.Segments(t, spec, spec.GOP) {
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			out[fmt.Sprintf("%s/%d", name, i)] = b
		}
	}
	return out
}

func TestProbeTSMatchesReference(t *testing.T) {
	for name, data := range probeCases(t) {
		t.Run(name, func(t *testing.T) {
			got, err := ProbeTS(data)
			if err != nil {
				t.Fatal(err)
			}
			want, err := referenceProbeTS(data)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("ProbeTS %+v %+v\nreference %+v %+v", got, got.Audio, want, want.Audio)
			}
			if got.Video.Frames == 0 || got.Video.Width == 0 {
				t.Fatalf("nothing found: %+v", got)
			}
		})
	}
}

// FuzzProbeTSMatchesReference checks that whenever both demuxers accept
// a segment, they find the same facts.
func FuzzProbeTSMatchesReference(f *testing.F) {
	f.Add([]byte{0x47})
	segs := fixture.Segments(f, fixture.ClipSpec{Width: 160, Height: 90, FPS: 10, Duration: 2 * time.Second, GOP: time.Second, Audio: true}, time.Second)
	for _, path := range segs {
		b, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := ProbeTS(data)
		want, refErr := referenceProbeTS(data)
		if err != nil || refErr != nil {
			return
		}
		if !reflect.DeepEqual(got.Video, want.Video) {
			t.Fatalf("video %+v, reference %+v", got.Video, want.Video)
		}
	})
}

// BenchmarkProbeTS probes a 2 s 720p30 segment at 3 Mbit/s (about 0.8 MB)
// with castmesh's demuxer and with the reference, side by side.
func BenchmarkProbeTS(b *testing.B) {
	spec := fixture.ClipSpec{Width: 1280, Height: 720, FPS: 30, Duration: 4 * time.Second, GOP: 2 * time.Second, Audio: true, Bitrate: 3_000_000}
	data, err := os.ReadFile(fixture.Segments(b, spec, spec.GOP)[0])
	if err != nil {
		b.Fatal(err)
	}
	for _, side := range []struct {
		name  string
		probe func([]byte) (TSInfo, error)
	}{{"castmesh", ProbeTS}, {"astits", referenceProbeTS}} {
		b.Run(side.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := side.probe(data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
