package classical

import (
	"context"
	"errors"
	"fmt"
	"image/png"
	"log/slog"
	"math"

	"github.com/castmesh/castmesh/ai/pipeline"
)

// KenBurnsID is the model id of KenBurns.
const KenBurnsID = "classical/ffmpeg-kenburns"

// KenBurnsConfig tunes KenBurns.
type KenBurnsConfig struct {
	FFmpeg FFmpegConfig `yaml:"ffmpeg"`
	// Zoom is the largest zoom the last frame reaches at the default
	// motion_bucket_id (127); 1 means no motion.
	Zoom float64 `yaml:"zoom"`
	// Supersample renders the pan over the input scaled to this many
	// times the output size, so that zoompan's whole-pixel crop steps
	// are fractions of an output pixel. 1 disables it.
	Supersample int `yaml:"supersample"`
	// StoredFrames writes the frames as uncompressed PNG: ten times
	// faster, three times larger. Frames are an intermediate that the
	// worker encodes to MP4 at once; set it false where they travel over
	// a network.
	StoredFrames bool `yaml:"stored_frames"`
	// MaxInputPixels bounds the input image (width × height).
	MaxInputPixels int64 `yaml:"max_input_pixels"`
	// MaxSide bounds the width and the height asked for, in pixels.
	MaxSide int `yaml:"max_side"`
}

// DefaultKenBurnsConfig returns the defaults.
func DefaultKenBurnsConfig() KenBurnsConfig {
	return KenBurnsConfig{
		FFmpeg: DefaultFFmpegConfig(),
		// 1.3: a slow push-in over one second of video (25 frames), about
		// as much motion as SVD's default bucket shows.
		Zoom: 1.3,
		// 2: steps of half an output pixel hide the jitter; 25 frames at
		// 1024×576 take about 0.5 s with it (0.25 s without) on 2 cores.
		Supersample: 2,
		// true: 25 frames of 1024×576 take 0.07 s to write stored, 0.6 s
		// at zlib's fastest level, on 2 cores.
		StoredFrames: true,
		// 4096²: pipeline.DefaultLimits, which gateways enforce.
		MaxInputPixels: pipeline.DefaultLimits().MaxImagePixels,
		// 1024: where video models stop (see pipeline.Limits); 25 raw
		// frames of 2048² would hold 400 MiB before they are encoded.
		MaxSide: 1024,
	}
}

// Validate names the first bad key.
func (c KenBurnsConfig) Validate() error {
	switch {
	case c.Zoom < 1 || c.Zoom > 4:
		return fmt.Errorf("zoom: %g out of range 1..4", c.Zoom)
	case c.Supersample < 1 || c.Supersample > 4:
		return fmt.Errorf("supersample: %d out of range 1..4", c.Supersample)
	case c.MaxInputPixels < 1:
		return errors.New("max_input_pixels: must be at least 1")
	case c.MaxSide < 8 || c.MaxSide > 8192:
		return fmt.Errorf("max_side: %d out of range 8..8192", c.MaxSide)
	}
	return c.FFmpeg.Validate()
}

// KenBurns is the image-to-video model classical/ffmpeg-kenburns: not a
// neural network, nothing in the picture moves. ffmpeg scales and crops
// the image to cover width × height, then its zoompan filter zooms in
// steadily (the same factor per frame) towards a point, making
// pipeline.VideoFrames PNG frames. The first frame shows the whole cropped
// image. The seed picks the point the zoom drifts from and to and the
// final zoom (between 60 % and 100 % of the configured Zoom's amount);
// motion_bucket_id scales that amount linearly, 127 (the default) giving
// it unchanged, 0 no motion and 255 about twice as much; values outside
// 0..255 are clamped.
//
// fps only matters to whoever encodes the frames; noise_aug_strength and
// num_inference_steps are ignored. No safety check is performed: NSFW is
// always false.
type KenBurns struct {
	cfg    KenBurnsConfig
	ffmpeg ffmpeg
}

// NewKenBurns returns the model; log may be nil.
func NewKenBurns(cfg KenBurnsConfig, log *slog.Logger) (*KenBurns, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &KenBurns{cfg: cfg, ffmpeg: newFFmpeg(cfg.FFmpeg, log, KenBurnsID)}, nil
}

// Pipeline returns pipeline.ImageToVideo.
func (m *KenBurns) Pipeline() pipeline.Name { return pipeline.ImageToVideo }

// ModelID returns KenBurnsID.
func (m *KenBurns) ModelID() string { return KenBurnsID }

// ImageToVideo returns pipeline.VideoFrames PNG frames of p.Width ×
// p.Height, in order.
func (m *KenBurns) ImageToVideo(ctx context.Context, p *pipeline.ImageToVideoParams) ([]pipeline.Media, error) {
	if err := firstErr(checkRange("width", p.Width, 8, m.cfg.MaxSide), checkRange("height", p.Height, 8, m.cfg.MaxSide)); err != nil {
		return nil, err
	}
	in, err := decodeImage(p.Image, m.cfg.MaxInputPixels)
	if err != nil {
		return nil, err
	}
	seed := seedOr(p.Seed)
	graph := newPan(seed, m.cfg.Zoom, p.MotionBucketID).graph(p.Width, p.Height, m.supersample(p.Width, p.Height))
	frames, err := m.ffmpeg.run(ctx, filterJob{in: in, filter: graph, outW: p.Width, outH: p.Height, frames: pipeline.VideoFrames})
	if err != nil {
		return nil, err
	}
	level := png.BestSpeed
	if m.cfg.StoredFrames {
		level = png.NoCompression
	}
	pngs, err := encodePNGs(frames, level)
	if err != nil {
		return nil, err
	}
	out := make([]pipeline.Media, len(pngs))
	for i, data := range pngs {
		out[i] = pipeline.Media{Data: data, MIME: "image/png", Seed: seed}
	}
	return out, nil
}

// maxSupersampled bounds the supersampled canvas, in pixels: 4096², which
// keeps a 2048² request at supersample 2 but no higher.
const maxSupersampled = 4096 * 4096

// supersample is the configured factor, lowered so that the canvas stays
// within maxSupersampled.
func (m *KenBurns) supersample(w, h int) int {
	s := m.cfg.Supersample
	for s > 1 && s*s*w*h > maxSupersampled {
		s--
	}
	return s
}

// pan is one seeded camera move: a zoom from 1 to zoom, whose focus (a
// point in 0..1 across the image, where the zoom closes in) drifts from
// (fx0, fy0) to (fx1, fy1).
type pan struct {
	zoom               float64
	fx0, fy0, fx1, fy1 float64
}

func newPan(seed int64, maxZoom float64, motionBucket int) pan {
	r := stream(mix64(uint64(seed)))
	motion := float64(min(max(motionBucket, 0), 255)) / 127
	amount := math.Log(maxZoom) * motion * (0.6 + 0.4*r.float())
	return pan{
		zoom: min(math.Exp(amount), 10), // zoompan's own limit
		fx0:  0.2 + 0.6*r.float(), fy0: 0.2 + 0.6*r.float(),
		fx1: 0.1 + 0.8*r.float(), fy1: 0.1 + 0.8*r.float(),
	}
}

// graph is the ffmpeg filter graph of the move at w × h, rendered over a
// canvas s times that size.
func (p pan) graph(w, h, s int) string {
	last := float64(pipeline.VideoFrames - 1)
	return fmt.Sprintf("scale=%[1]d:%[2]d:force_original_aspect_ratio=increase:flags=lanczos,crop=%[1]d:%[2]d,"+
		"zoompan=z='pow(%[3]f,on/%[4]g)':x='(iw-iw/zoom)*(%[5]f+%[6]f*on/%[4]g)':y='(ih-ih/zoom)*(%[7]f+%[8]f*on/%[4]g)'"+
		":d=%[9]d:s=%[10]dx%[11]d:fps=25",
		w*s, h*s, p.zoom, last, p.fx0, p.fx1-p.fx0, p.fy0, p.fy1-p.fy0, pipeline.VideoFrames, w, h)
}
