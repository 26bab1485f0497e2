package hls

import (
	"strings"
	"testing"
)

func TestParsePath(t *testing.T) {
	cases := []struct {
		path string
		want target // zero kind: invalid
	}{
		{"abc/index.m3u8", target{kind: kindMaster, playbackID: "abc"}},
		{"abc/recording.m3u8", target{kind: kindRecordingMaster, playbackID: "abc"}},
		{"abc/720p/index.m3u8", target{kind: kindMedia, playbackID: "abc", rendition: "720p"}},
		{"abc/720p/recording.m3u8", target{kind: kindRecording, playbackID: "abc", rendition: "720p"}},
		{"abc/720p/0.ts", target{kind: kindSegment, playbackID: "abc", rendition: "720p", ext: extTS}},
		{"a-b_c/x/123.m4s", target{kind: kindSegment, playbackID: "a-b_c", rendition: "x", seq: 123, ext: extFMP4}},
		{"abc/720p/init-2.mp4", target{kind: kindInit, playbackID: "abc", rendition: "720p", seq: 2}},
		{"abc/720p/999999999999999999.ts", target{kind: kindSegment, playbackID: "abc", rendition: "720p", seq: 999999999999999999, ext: extTS}},
		{"", target{}},
		{"abc", target{}},
		{"abc/", target{}},
		{"abc/other.m3u8", target{}},
		{"abc/720p/", target{}},
		{"abc/720p/01.ts", target{}},
		{"abc/720p/-1.ts", target{}},
		{"abc/720p/+1.ts", target{}},
		{"abc/720p/1.mp4", target{}},
		{"abc/720p/1000000000000000000.ts", target{}},
		{"abc/720p/init-.mp4", target{}},
		{"abc/720p/init-01.mp4", target{}},
		{"abc/720p/init-1.ts", target{}},
		{"abc/7 20p/1.ts", target{}},
		{"../720p/1.ts", target{}},
		{"abc/../1.ts", target{}},
		{"abc/720p/1.ts/x", target{}},
		{strings.Repeat("a", 129) + "/index.m3u8", target{}},
		{"abc/" + strings.Repeat("r", 65) + "/index.m3u8", target{}},
	}
	for _, c := range cases {
		t.Run(c.path, func(t *testing.T) {
			got, err := parsePath(c.path)
			if c.want.kind == 0 {
				if err == nil {
					t.Fatalf("parsed %+v, want an error", got)
				}
				return
			}
			if err != nil || got != c.want {
				t.Fatalf("got %+v, %v; want %+v", got, err, c.want)
			}
			if got.String() != c.path {
				t.Fatalf("String() = %q", got.String())
			}
		})
	}
}

// FuzzParsePath checks that the parser never panics and that what it
// accepts is canonical: formatting the result gives back the same path.
func FuzzParsePath(f *testing.F) {
	for _, s := range []string{
		"abc/index.m3u8", "abc/recording.m3u8", "abc/720p/index.m3u8", "abc/720p/recording.m3u8",
		"abc/720p/12.ts", "abc/720p/12.m4s", "abc/720p/init-0.mp4", "abc/720p/007.ts", "a//b", "../x",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p string) {
		got, err := parsePath(p)
		if err != nil {
			return
		}
		if got.String() != p {
			t.Fatalf("parsed %q as %+v, which formats as %q", p, got, got.String())
		}
		if got.seq < 0 || !playbackIDPattern.MatchString(got.playbackID) {
			t.Fatalf("accepted %q as %+v", p, got)
		}
	})
}
