package hlsplaylist

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bluenviron/gohlslib/v2/pkg/playlist"
)

// sentinels are every error Encode and Master may return.
var sentinels = []error{
	ErrNoVariants, ErrNoSegments, ErrBadURI, ErrBadAttribute, ErrBadDuration,
	ErrBadSequence, ErrMixedMap, ErrBadPlaylistType,
}

func isSentinel(err error) bool {
	for _, s := range sentinels {
		if errors.Is(err, s) {
			return true
		}
	}
	return false
}

// fuzzMedia builds a media playlist from fuzzed values. Each 3 bytes of spec
// make a segment: two bytes of milliseconds, then a byte whose low nibble
// adds 100 µs steps and whose bits 4-6 set discontinuity, gap and a new map.
func fuzzMedia(seq, disc int64, typ uint8, ended bool, spec []byte, uri, mapURI string) Media {
	m := Media{MediaSequence: seq, DiscontinuitySequence: disc, Ended: ended}
	m.Type = []PlaylistType{Live, Event, VOD, "BOGUS"}[typ%4]
	mapID := 0
	for i := 0; i+3 <= len(spec); i += 3 {
		flags := spec[i+2]
		s := Segment{
			URI:           uri + strconv.Itoa(i/3) + ".ts",
			Duration:      time.Duration(int(spec[i])<<8|int(spec[i+1]))*time.Millisecond + time.Duration(flags&0x0f)*100*time.Microsecond,
			Discontinuity: flags&0x10 != 0,
			Gap:           flags&0x20 != 0,
		}
		if flags&0x40 != 0 {
			mapID++
		}
		if mapURI != "" {
			s.MapURI = mapURI + strconv.Itoa(mapID)
		}
		m.Segments = append(m.Segments, s)
	}
	return m
}

// FuzzMediaRoundTrip encodes fuzzed media playlists and parses them back with
// gohlslib: what Encode accepts must read back unchanged, and what it refuses
// must be refused with one of the package's errors.
func FuzzMediaRoundTrip(f *testing.F) {
	f.Add(int64(0), int64(0), uint8(0), false, []byte{0x07, 0xd0, 0, 0x07, 0xd2, 0x13}, "seg", "")
	f.Add(int64(12), int64(3), uint8(1), false, []byte{0x07, 0xd0, 0x10, 0x01, 0xf4, 0x25}, "a/", "init-")
	f.Add(int64(0), int64(0), uint8(2), true, []byte{0, 1, 0, 0, 0, 4, 0xff, 0xff, 0x4f}, "https://cdn.example/x", "m")
	f.Add(int64(-1), int64(0), uint8(3), true, []byte{0, 0, 0}, "#x\n", `q"`)
	f.Fuzz(func(t *testing.T, seq, disc int64, typ uint8, ended bool, spec []byte, uri, mapURI string) {
		// gohlslib reads sequence numbers as 31-bit values; Encode takes 63.
		if seq > 0 {
			seq &= math.MaxInt32
		}
		if disc > 0 {
			disc &= math.MaxInt32
		}
		m := fuzzMedia(seq, disc, typ, ended, spec, uri, mapURI)
		text, err := m.Encode()
		if err != nil {
			if !isSentinel(err) {
				t.Fatalf("error %v is not a package sentinel", err)
			}
			return
		}
		checkMediaRoundTrip(t, m, text)
	})
}

func checkMediaRoundTrip(t *testing.T, m Media, text []byte) {
	t.Helper()
	var got playlist.Media
	if err := got.Unmarshal(text); err != nil {
		t.Fatalf("gohlslib cannot read what Encode wrote: %v\n%s", err, text)
	}
	if got.MediaSequence != int(m.MediaSequence) || got.Endlist != m.Ended || got.Version != m.Version() ||
		int64(got.TargetDuration) != m.TargetDuration() || len(got.Segments) != len(m.Segments) {
		t.Fatalf("header differs: got seq %d end %v version %d target %d segments %d\n%s",
			got.MediaSequence, got.Endlist, got.Version, got.TargetDuration, len(got.Segments), text)
	}
	if d := got.DiscontinuitySequence; (d == nil) != (m.DiscontinuitySequence == 0) || (d != nil && int64(*d) != m.DiscontinuitySequence) {
		t.Fatalf("discontinuity sequence differs\n%s", text)
	}
	if (got.PlaylistType == nil) != (m.Type == Live) || (got.PlaylistType != nil && string(*got.PlaylistType) != string(m.Type)) {
		t.Fatalf("playlist type differs\n%s", text)
	}
	for i, s := range got.Segments {
		want := m.Segments[i]
		if millis(s.Duration) != millis(want.Duration) || s.URI != want.URI ||
			s.Discontinuity != want.Discontinuity || s.Gap != want.Gap {
			t.Fatalf("segment %d: got %+v, want %+v\n%s", i, s, want, text)
		}
		if (s.Duration+999*time.Microsecond)/time.Second > time.Duration(got.TargetDuration) {
			t.Fatalf("segment %d longer than the target duration\n%s", i, text)
		}
	}
	last := m.Segments[len(m.Segments)-1].MapURI
	if (got.Map == nil) != (last == "") || (got.Map != nil && got.Map.URI != last) {
		t.Fatalf("map differs: got %+v, want %q\n%s", got.Map, last, text)
	}
	if strings.Count(string(text), "#EXT-X-VERSION") != 1 {
		t.Fatalf("EXT-X-VERSION must appear once\n%s", text)
	}
}

// FuzzMasterRoundTrip does for multivariant playlists what
// FuzzMediaRoundTrip does for media playlists.
func FuzzMasterRoundTrip(f *testing.F) {
	f.Add("720p/index.m3u8", 3_000_000, 2_500_000, 1280, 720, 30.0, "avc1.64001f,mp4a.40.2")
	f.Add("a", 1, 0, 0, 0, 0.0, "")
	f.Add("b\n", -1, -1, 1, 0, math.Inf(1), `"`)
	f.Fuzz(func(t *testing.T, uri string, bw, avg, w, h int, fps float64, codecs string) {
		in := []Variant{
			{URI: uri, Bandwidth: bw, AverageBandwidth: avg, Width: w, Height: h, FrameRate: fps, Codecs: codecs},
			{URI: "low.m3u8", Bandwidth: 100_000},
		}
		text, err := Master(in)
		if err != nil {
			if !isSentinel(err) {
				t.Fatalf("error %v is not a package sentinel", err)
			}
			return
		}
		var got playlist.Multivariant
		if err := got.Unmarshal(text); err != nil {
			t.Fatalf("gohlslib cannot read what Master wrote: %v\n%s", err, text)
		}
		if len(got.Variants) != 2 || !got.IndependentSegments {
			t.Fatalf("got %d variants\n%s", len(got.Variants), text)
		}
		checkVariant(t, got.Variants[0], in[0], text)
		checkVariant(t, got.Variants[1], in[1], text)
	})
}

func checkVariant(t *testing.T, got *playlist.MultivariantVariant, want Variant, text []byte) {
	t.Helper()
	res := ""
	if want.Width > 0 {
		res = strconv.Itoa(want.Width) + "x" + strconv.Itoa(want.Height)
	}
	if got.URI != want.URI || got.Bandwidth != want.Bandwidth || got.Resolution != res ||
		strings.Join(got.Codecs, ",") != want.Codecs {
		t.Fatalf("variant differs: got %+v, want %+v\n%s", got, want, text)
	}
	if (got.AverageBandwidth == nil) != (want.AverageBandwidth == 0) ||
		(got.AverageBandwidth != nil && *got.AverageBandwidth != want.AverageBandwidth) {
		t.Fatalf("average bandwidth differs\n%s", text)
	}
	if (got.FrameRate == nil) != (want.FrameRate == 0) ||
		(got.FrameRate != nil && math.Abs(*got.FrameRate-want.FrameRate) > 0.0005) {
		t.Fatalf("frame rate differs\n%s", text)
	}
}
