package hlsplaylist

import (
	"errors"
	"testing"
	"time"
)

func TestMediaEncode(t *testing.T) {
	ms := time.Millisecond
	cases := []struct {
		name string
		in   Media
		want string
	}{
		{
			name: "live window",
			in: Media{MediaSequence: 7, Segments: []Segment{
				{URI: "7.ts", Duration: 2 * time.Second},
				{URI: "8.ts", Duration: 2002 * ms},
			}},
			want: "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:3\n#EXT-X-MEDIA-SEQUENCE:7\n" +
				"#EXTINF:2.000,\n7.ts\n#EXTINF:2.002,\n8.ts\n",
		},
		{
			name: "sub-millisecond durations round to nearest",
			in: Media{Segments: []Segment{
				{URI: "a.ts", Duration: 1999*ms + 600*time.Microsecond},
				{URI: "b.ts", Duration: 1500*ms + 400*time.Microsecond},
			}},
			want: "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:0\n" +
				"#EXTINF:2.000,\na.ts\n#EXTINF:1.500,\nb.ts\n",
		},
		{
			name: "discontinuity and gap",
			in: Media{MediaSequence: 3, DiscontinuitySequence: 2, Segments: []Segment{
				{URI: "3.ts", Duration: 2 * time.Second},
				{URI: "5.ts", Duration: 2 * time.Second, Discontinuity: true},
				{URI: "6.ts", Duration: 2 * time.Second, Gap: true},
			}},
			want: "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:3\n" +
				"#EXT-X-DISCONTINUITY-SEQUENCE:2\n#EXTINF:2.000,\n3.ts\n#EXT-X-DISCONTINUITY\n#EXTINF:2.000,\n5.ts\n" +
				"#EXT-X-GAP\n#EXTINF:2.000,\n6.ts\n",
		},
		{
			name: "event recording",
			in:   Media{Type: Event, Segments: []Segment{{URI: "0.ts", Duration: 500 * ms}}},
			want: "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:1\n#EXT-X-MEDIA-SEQUENCE:0\n" +
				"#EXT-X-PLAYLIST-TYPE:EVENT\n#EXTINF:0.500,\n0.ts\n",
		},
		{
			name: "vod recording",
			in:   Media{Type: VOD, Ended: true, Segments: []Segment{{URI: "0.ts", Duration: 4100 * ms}}},
			want: "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:5\n#EXT-X-MEDIA-SEQUENCE:0\n" +
				"#EXT-X-PLAYLIST-TYPE:VOD\n#EXTINF:4.100,\n0.ts\n#EXT-X-ENDLIST\n",
		},
		{
			name: "fmp4 map written when it changes",
			in: Media{Ended: true, Segments: []Segment{
				{URI: "0.m4s", Duration: 2 * time.Second, MapURI: "init-0.mp4"},
				{URI: "1.m4s", Duration: 2 * time.Second, MapURI: "init-0.mp4"},
				{URI: "2.m4s", Duration: 2 * time.Second, MapURI: "init-1.mp4", Discontinuity: true},
			}},
			want: "#EXTM3U\n#EXT-X-VERSION:6\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:0\n" +
				"#EXT-X-MAP:URI=\"init-0.mp4\"\n#EXTINF:2.000,\n0.m4s\n#EXTINF:2.000,\n1.m4s\n" +
				"#EXT-X-MAP:URI=\"init-1.mp4\"\n#EXT-X-DISCONTINUITY\n#EXTINF:2.000,\n2.m4s\n#EXT-X-ENDLIST\n",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := c.in.Encode()
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != c.want {
				t.Fatalf("got:\n%s\nwant:\n%s", got, c.want)
			}
		})
	}
}

func TestMediaEncodeErrors(t *testing.T) {
	ok := Segment{URI: "0.ts", Duration: 2 * time.Second}
	cases := []struct {
		name string
		in   Media
		want error
	}{
		{"no segments", Media{}, ErrNoSegments},
		{"negative media sequence", Media{MediaSequence: -1, Segments: []Segment{ok}}, ErrBadSequence},
		{"negative discontinuity sequence", Media{DiscontinuitySequence: -1, Segments: []Segment{ok}}, ErrBadSequence},
		{"unknown type", Media{Type: "LIVE", Segments: []Segment{ok}}, ErrBadPlaylistType},
		{"vod not ended", Media{Type: VOD, Segments: []Segment{ok}}, ErrBadPlaylistType},
		{"negative duration", Media{Segments: []Segment{{URI: "0.ts", Duration: -time.Second}}}, ErrBadDuration},
		{"zero duration", Media{Segments: []Segment{{URI: "0.ts"}}}, ErrBadDuration},
		{"duration under half a millisecond", Media{Segments: []Segment{{URI: "0.ts", Duration: 400 * time.Microsecond}}}, ErrBadDuration},
		{"day-long segment", Media{Segments: []Segment{{URI: "0.ts", Duration: 25 * time.Hour}}}, ErrBadDuration},
		{"empty uri", Media{Segments: []Segment{{Duration: time.Second}}}, ErrBadURI},
		{"uri with newline", Media{Segments: []Segment{{URI: "0.ts\n#EXT-X-ENDLIST", Duration: time.Second}}}, ErrBadURI},
		{"uri with carriage return", Media{Segments: []Segment{{URI: "0.ts\r", Duration: time.Second}}}, ErrBadURI},
		{"uri starting with hash", Media{Segments: []Segment{{URI: "#0.ts", Duration: time.Second}}}, ErrBadURI},
		{"uri with space", Media{Segments: []Segment{{URI: "a b.ts", Duration: time.Second}}}, ErrBadURI},
		{"uri not utf-8", Media{Segments: []Segment{{URI: "\xff.ts", Duration: time.Second}}}, ErrBadURI},
		{"map uri with quote", Media{Segments: []Segment{{URI: "0.m4s", Duration: time.Second, MapURI: `i"nit.mp4`}}}, ErrBadURI},
		{"map then no map", Media{Segments: []Segment{{URI: "0.m4s", Duration: time.Second, MapURI: "i.mp4"}, ok}}, ErrMixedMap},
		{"no map then map", Media{Segments: []Segment{ok, {URI: "0.m4s", Duration: time.Second, MapURI: "i.mp4"}}}, ErrMixedMap},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := c.in.Encode()
			if !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
			if got != nil {
				t.Fatalf("wrote a playlist despite the error:\n%s", got)
			}
		})
	}
}
