package rtmp

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/castmesh/castmesh/gateway/segmenter"
	"github.com/castmesh/castmesh/pkg/media"
)

func TestParseStreamKey(t *testing.T) {
	tests := []struct {
		name, in, want string
		ok             bool
	}{
		{"plain", "abc-123", "abc-123", true},
		{"query dropped", "abc?token=1&x=2", "abc", true},
		{"base64", "aGVsbG8+=", "aGVsbG8+=", true},
		{"empty", "", "", false},
		{"only a query", "?x=1", "", false},
		{"slash", "a/b", "", false},
		{"space", "a b", "", false},
		{"non-ascii", "ключ", "", false},
		{"too long", strings.Repeat("k", 257), "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseStreamKey(tt.in)
			if tt.ok != (err == nil) || got != tt.want {
				t.Fatalf("got %q, %v", got, err)
			}
			if err != nil && !errors.Is(err, ErrBadKey) {
				t.Fatalf("untyped error %v", err)
			}
		})
	}
}

func TestParseApp(t *testing.T) {
	for in, want := range map[string]string{"live": "live", "live/": "live", "live?x=1": "live", "": ""} {
		if got := parseApp(in); got != want {
			t.Errorf("parseApp(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzParseStreamKey(f *testing.F) {
	for _, s := range []string{"abc", "abc?token=1", "", "a/b", "?", strings.Repeat("k", 300)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		key, err := parseStreamKey(name)
		if err != nil {
			return
		}
		if key == "" || len(key) > 256 || strings.ContainsAny(key, "/? \t\r\n") || !strings.HasPrefix(name, key) {
			t.Fatalf("accepted %q from %q", key, name)
		}
	})
}

func TestConfigValidate(t *testing.T) {
	if err := DefaultConfig().Validate(); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		key    string
		change func(*Config)
	}{
		{"no port", "addr", func(c *Config) { c.Addr = "localhost" }},
		{"empty app", "app", func(c *Config) { c.App = "" }},
		{"app with slash", "app", func(c *Config) { c.App = "a/b" }},
		{"zero handshake timeout", "handshake_timeout", func(c *Config) { c.HandshakeTimeout = 0 }},
		{"tiny idle timeout", "idle_timeout", func(c *Config) { c.IdleTimeout = time.Millisecond }},
		{"no connections", "max_conns", func(c *Config) { c.MaxConns = 0 }},
		{"bad segmenter", "segmenter.target", func(c *Config) { c.Segmenter.Target = 0 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := DefaultConfig()
			tt.change(&cfg)
			err := cfg.Validate()
			if err == nil || !strings.HasPrefix(err.Error(), tt.key+":") {
				t.Fatalf("got %v, want an error naming %s", err, tt.key)
			}
		})
	}
}

func newDemuxer(t testing.TB) *demuxer {
	t.Helper()
	seg, err := segmenter.New(segmenter.DefaultConfig(), func(media.Segment) {})
	if err != nil {
		t.Fatal(err)
	}
	return &demuxer{seg: seg}
}

func TestDemuxRejects(t *testing.T) {
	tests := []struct {
		name  string
		video bool
		body  []byte
		codec string // the UnsupportedCodecError's codec, or "" for err
		err   error
	}{
		{"sorenson h.263", true, []byte{0x12, 0, 0}, "flv1", nil},
		{"vp6", true, []byte{0x14, 0}, "vp6f", nil},
		{"enhanced rtmp hevc", true, []byte{0x90, 'h', 'v', 'c', '1', 0}, "hvc1", nil},
		{"enhanced rtmp av1", true, []byte{0x91, 'a', 'v', '0', '1'}, "av01", nil},
		{"truncated avc", true, []byte{0x17, 1}, "", ErrBadTag},
		{"avc before its config", true, []byte{0x17, 1, 0, 0, 0, 0, 0, 0, 1, 0x65}, "", segmenter.ErrNoVideoConfig},
		{"bad avc config", true, []byte{0x17, 0, 0, 0, 0, 1, 2}, "", segmenter.ErrBadDecoderConfig},
		{"mp3", false, []byte{0x2f, 0xff, 0xfb}, "mp3", nil},
		{"speex", false, []byte{0xb2, 0}, "speex", nil},
		{"enhanced rtmp opus", false, []byte{0x90, 'O', 'p', 'u', 's'}, "Opus", nil},
		{"aac before its config", false, []byte{0xaf, 1, 0x21}, "", segmenter.ErrNoAudioConfig},
		{"bad aac config", false, []byte{0xaf, 0, 0xff}, "", segmenter.ErrBadAudioConfig},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newDemuxer(t)
			var err error
			if tt.video {
				err = d.writeVideo(0, tt.body)
			} else {
				err = d.writeAudio(0, tt.body)
			}
			var uc *media.UnsupportedCodecError
			switch {
			case tt.codec != "":
				if !errors.As(err, &uc) || uc.Codec != tt.codec {
					t.Fatalf("got %v, want unsupported codec %s", err, tt.codec)
				}
				if r := rejection(err); r.Reason != ReasonUnsupportedCodec {
					t.Fatalf("reason %s", r.Reason)
				}
			case !errors.Is(err, tt.err):
				t.Fatalf("got %v, want %v", err, tt.err)
			}
		})
	}
}

func TestClockUnwraps(t *testing.T) {
	var c clock
	steps := []struct {
		ts   uint32
		want time.Duration
	}{
		{0, 0},
		{1000, time.Second},
		{990, 990 * time.Millisecond}, // a small step back is not a wrap
		{1<<32 - 10, (1<<32 - 10) * time.Millisecond},
		{5, (1<<32 + 5) * time.Millisecond},
	}
	for _, s := range steps {
		if got := c.at(s.ts); got != s.want {
			t.Fatalf("at(%d) = %v, want %v", s.ts, got, s.want)
		}
	}
}

func FuzzDemux(f *testing.F) {
	f.Add(true, uint32(0), []byte{0x17, 0, 0, 0, 0, 1, 0x64, 0, 0x1f, 0xff, 0xe1})
	f.Add(true, uint32(40), []byte{0x27, 1, 0, 0, 0x21, 0, 0, 0, 2, 0x41, 0x9a})
	f.Add(false, uint32(0), []byte{0xaf, 0, 0x11, 0x90})
	f.Add(false, uint32(23), []byte{0xaf, 1, 0x21, 0x10})
	f.Add(true, uint32(0), []byte{0x90, 'h', 'v', 'c', '1'})
	f.Fuzz(func(t *testing.T, video bool, ts uint32, body []byte) {
		d := newDemuxer(t)
		for range 2 { // once fresh, once after whatever the first call set up
			var err error
			if video {
				err = d.writeVideo(ts, body)
			} else {
				err = d.writeAudio(ts, body)
			}
			if err != nil && rejection(err).Reason == "" {
				t.Fatalf("no reason for %v", err)
			}
		}
	})
}
