package hlsplaylist

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// PlaylistType is the EXT-X-PLAYLIST-TYPE of a media playlist (RFC 8216
// §4.3.3.5).
type PlaylistType string

// Playlist types.
const (
	// Live is a sliding-window playlist: segments may be removed from the
	// front. No tag is written.
	Live PlaylistType = ""
	// Event is a playlist that only grows at the end.
	Event PlaylistType = "EVENT"
	// VOD is a finished playlist that will never change.
	VOD PlaylistType = "VOD"
)

// maxSegmentDuration bounds EXTINF: segments castmesh makes last seconds, and
// a duration of hours means a bug upstream, not a segment.
const maxSegmentDuration = 24 * time.Hour

// Segment is one media segment of a media playlist.
type Segment struct {
	// URI of the segment, usually relative to the playlist.
	URI string
	// Duration is the segment's media time; written in milliseconds.
	Duration time.Duration
	// Discontinuity writes EXT-X-DISCONTINUITY before the segment
	// (§4.3.2.3): its timestamps or encoding do not continue the previous
	// segment's.
	Discontinuity bool
	// Gap writes EXT-X-GAP: the segment is missing and players skip it.
	Gap bool
	// MapURI is the fMP4 initialization section (EXT-X-MAP, §4.3.2.5); empty
	// for MPEG-TS. Either every segment of a playlist has one or none does.
	MapURI string
}

// Media is a media playlist (§4.3.3).
type Media struct {
	// MediaSequence is the sequence number of the first segment
	// (EXT-X-MEDIA-SEQUENCE, §4.3.3.2).
	MediaSequence int64
	// DiscontinuitySequence counts the EXT-X-DISCONTINUITY tags removed from
	// the front of a sliding window (§4.3.3.3).
	DiscontinuitySequence int64
	// Segments in playback order; at least one.
	Segments []Segment
	// Ended writes EXT-X-ENDLIST: no segment will be added (§4.3.3.4).
	Ended bool
	// Type is Live, Event or VOD; VOD requires Ended.
	Type PlaylistType
}

// TargetDuration returns EXT-X-TARGETDURATION: the longest segment duration,
// in whole milliseconds as written, rounded up to whole seconds (at least 1).
func (m Media) TargetDuration() int64 {
	var longest int64
	for _, s := range m.Segments {
		longest = max(longest, millis(s.Duration))
	}
	return max(1, (longest+999)/1000)
}

// Version returns the lowest EXT-X-VERSION that fits the playlist: 6 when it
// uses EXT-X-MAP, otherwise 3 for its decimal EXTINF durations (§7).
func (m Media) Version() int {
	if len(m.Segments) > 0 && m.Segments[0].MapURI != "" {
		return 6
	}
	return 3
}

// Encode validates the playlist and returns its text.
func (m Media) Encode() ([]byte, error) {
	if err := m.validate(); err != nil {
		return nil, err
	}
	var b strings.Builder
	b.WriteString("#EXTM3U\n#EXT-X-VERSION:" + strconv.Itoa(m.Version()) + "\n")
	b.WriteString("#EXT-X-TARGETDURATION:" + strconv.FormatInt(m.TargetDuration(), 10) + "\n")
	b.WriteString("#EXT-X-MEDIA-SEQUENCE:" + strconv.FormatInt(m.MediaSequence, 10) + "\n")
	if m.DiscontinuitySequence > 0 {
		b.WriteString("#EXT-X-DISCONTINUITY-SEQUENCE:" + strconv.FormatInt(m.DiscontinuitySequence, 10) + "\n")
	}
	if m.Type != Live {
		b.WriteString("#EXT-X-PLAYLIST-TYPE:" + string(m.Type) + "\n")
	}
	mapURI := ""
	for _, s := range m.Segments {
		if s.MapURI != mapURI {
			mapURI = s.MapURI
			b.WriteString(`#EXT-X-MAP:URI="` + mapURI + `"` + "\n")
		}
		writeSegment(&b, s)
	}
	if m.Ended {
		b.WriteString("#EXT-X-ENDLIST\n")
	}
	return []byte(b.String()), nil
}

func writeSegment(b *strings.Builder, s Segment) {
	if s.Discontinuity {
		b.WriteString("#EXT-X-DISCONTINUITY\n")
	}
	if s.Gap {
		b.WriteString("#EXT-X-GAP\n")
	}
	ms := millis(s.Duration)
	fmt.Fprintf(b, "#EXTINF:%d.%03d,\n%s\n", ms/1000, ms%1000, s.URI)
}

// millis rounds d to the nearest millisecond.
func millis(d time.Duration) int64 {
	return int64((d + time.Millisecond/2) / time.Millisecond)
}

func (m Media) validate() error {
	switch {
	case len(m.Segments) == 0:
		return ErrNoSegments
	case m.MediaSequence < 0 || m.DiscontinuitySequence < 0:
		return fmt.Errorf("%w: media %d, discontinuity %d", ErrBadSequence, m.MediaSequence, m.DiscontinuitySequence)
	case m.Type != Live && m.Type != Event && m.Type != VOD:
		return fmt.Errorf("%w: %q", ErrBadPlaylistType, string(m.Type))
	case m.Type == VOD && !m.Ended:
		return fmt.Errorf("%w: a VOD playlist must be ended", ErrBadPlaylistType)
	}
	withMap := m.Segments[0].MapURI != ""
	for i, s := range m.Segments {
		if err := s.validate(withMap); err != nil {
			return fmt.Errorf("segment %d: %w", i, err)
		}
	}
	return nil
}

func (s Segment) validate(withMap bool) error {
	if err := checkURI(s.URI); err != nil {
		return err
	}
	if s.Duration > maxSegmentDuration || millis(s.Duration) <= 0 {
		return fmt.Errorf("%w: %v", ErrBadDuration, s.Duration)
	}
	if (s.MapURI != "") != withMap {
		return ErrMixedMap
	}
	if withMap {
		return checkQuotedURI(s.MapURI)
	}
	return nil
}
