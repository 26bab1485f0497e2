package tesseract

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/png"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/castmesh/castmesh/ai/pipeline"
	"github.com/castmesh/castmesh/test/fixture"
)

// The text the tests print and read back, one line each.
var lines = []string{"Castmesh reads printed text", "Orchestrators run the workers"}

const font = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

func newModel(t *testing.T, cfg Config) *Model {
	t.Helper()
	fixture.RequireTool(t, "tesseract")
	m, err := New(cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// render prints lines in black DejaVu Sans on bg with ffmpeg and encodes the
// picture as ext (png, jpg, gif, webp).
func render(t *testing.T, bg, ext string) []byte {
	t.Helper()
	fixture.RequireTool(t, "ffmpeg")
	if _, err := os.Stat(font); err != nil {
		t.Skip("DejaVu Sans is not installed")
	}
	var draw []string
	for i, l := range lines {
		draw = append(draw, "drawtext=fontfile="+font+":text='"+l+"':fontsize=44:fontcolor=black:x=40:y="+strconv.Itoa(80+120*i))
	}
	out := filepath.Join(t.TempDir(), "text."+ext)
	args := []string{
		"-nostdin", "-v", "error", "-f", "lavfi", "-i", "color=c=" + bg + ":s=900x320,format=rgba",
		"-vf", strings.Join(draw, ","), "-frames:v", "1", out,
	}
	if b, err := exec.CommandContext(t.Context(), "ffmpeg", args...).CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg: %v: %s", err, b)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// recovered is the share of want's words that got holds, ignoring case.
func recovered(want, got string) float64 {
	left := map[string]int{}
	for _, w := range strings.Fields(strings.ToLower(got)) {
		left[w]++
	}
	words, n := strings.Fields(strings.ToLower(want)), 0
	for _, w := range words {
		if left[w] > 0 {
			left[w]--
			n++
		}
	}
	return float64(n) / float64(len(words))
}

func TestRead(t *testing.T) {
	m := newModel(t, DefaultConfig())
	tests := []struct{ name, bg, ext string }{
		{"png", "white", "png"},
		{"jpeg", "white", "jpg"},
		{"gif", "white", "gif"},
		{"webp", "white", "webp"},
		{"transparent png", "black@0.0", "png"},
	}
	want := strings.Join(lines, "\n")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img := render(t, tt.bg, tt.ext)
			if tt.bg != "white" {
				checkTransparent(t, img)
			}
			start := time.Now()
			got, err := m.ImageToText(t.Context(), &pipeline.ImageToTextParams{
				Image: pipeline.File{Data: img}, Prompt: "describe the picture",
			})
			if err != nil {
				t.Fatal(err)
			}
			share := recovered(want, got)
			t.Logf("%s: %q: %.0f%% of words in %s", tt.name, got, 100*share, time.Since(start))
			if share < 0.8 {
				t.Errorf("read %q, want %q", got, want)
			}
		})
	}
}

// checkTransparent checks that the PNG's corner is transparent.
func checkTransparent(t *testing.T, b []byte) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, _, a := img.At(0, 0).RGBA(); a != 0 {
		t.Fatalf("%T is not transparent", img)
	}
}

func TestBlank(t *testing.T) {
	m := newModel(t, DefaultConfig())
	img := image.NewGray(image.Rect(0, 0, 64, 64))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	got, err := m.ImageToText(t.Context(), &pipeline.ImageToTextParams{Image: pipeline.File{Data: b.Bytes()}})
	if err != nil || got != "" {
		t.Fatalf("blank image read as %q, %v", got, err)
	}
}

func TestBadImage(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MaxPixels = 100 * 100
	m := newModel(t, cfg)
	var big, small bytes.Buffer
	if err := png.Encode(&big, image.NewGray(image.Rect(0, 0, 101, 100))); err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(&small, image.NewGray(image.Rect(0, 0, 50, 50))); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		p     pipeline.ImageToTextParams
		wants []error
	}{
		{"empty", pipeline.ImageToTextParams{}, []error{pipeline.ErrBadInput, ErrNotImage}},
		// Tesseract would read this as a list of files to open.
		{"file list", pipeline.ImageToTextParams{Image: pipeline.File{Data: []byte("/etc/passwd\n")}}, []error{pipeline.ErrBadInput, ErrNotImage}},
		{"truncated png", pipeline.ImageToTextParams{Image: pipeline.File{Data: small.Bytes()[:small.Len()-16]}}, []error{pipeline.ErrBadInput, ErrNotImage}},
		{"too large", pipeline.ImageToTextParams{Image: pipeline.File{Data: big.Bytes()}}, []error{pipeline.ErrBadInput, ErrTooLarge}},
		{"wrong model", pipeline.ImageToTextParams{ModelID: "Salesforce/blip-image-captioning-large"}, []error{pipeline.ErrWrongModel}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := m.ImageToText(t.Context(), &tt.p)
			for _, want := range tt.wants {
				if !errors.Is(err, want) {
					t.Errorf("err = %v, want %v", err, want)
				}
			}
		})
	}
}

func TestGrey(t *testing.T) {
	img := image.NewNRGBA(image.Rect(5, 5, 8, 6))
	img.Set(5, 5, color.NRGBA{0, 0, 0, 0})    // transparent: white
	img.Set(6, 5, color.NRGBA{0, 0, 0, 0xff}) // black
	img.Set(7, 5, color.NRGBA{0, 0, 0, 0x80}) // half black over white: grey
	g := grey(img)
	if g.Pix[0] != 0xff || g.Pix[1] != 0 || g.Pix[2] < 0x70 || g.Pix[2] > 0x80 {
		t.Errorf("grey = %v", g.Pix)
	}
	if got := string(pgm(g)); got != "P5\n3 1\n255\n"+string(g.Pix) {
		t.Errorf("pgm = %q", got)
	}
}

func TestNormalise(t *testing.T) {
	in := "  Hello   world \n\n\tsecond\tline\n \f"
	if got := normalise(in); got != "Hello world\nsecond line" {
		t.Errorf("normalise = %q", got)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Config)
		key  string
	}{
		{"defaults", func(*Config) {}, ""},
		{"no tesseract", func(c *Config) { c.Tesseract = "" }, "tesseract"},
		{"psm 0", func(c *Config) { c.PageSegMode = 0 }, "page_seg_mode"},
		{"psm 2", func(c *Config) { c.PageSegMode = 2 }, "page_seg_mode"},
		{"no threads", func(c *Config) { c.Threads = 0 }, "threads"},
		{"no pixels", func(c *Config) { c.MaxPixels = 0 }, "max_pixels"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := DefaultConfig()
			tt.edit(&cfg)
			err := cfg.Validate()
			if (tt.key == "") != (err == nil) || (err != nil && !strings.HasPrefix(err.Error(), tt.key)) {
				t.Fatalf("Validate = %v, want one naming %q", err, tt.key)
			}
		})
	}
}
