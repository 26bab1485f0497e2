package media

import "time"

// TimeBase is the MPEG-TS clock rate: timestamps count 1/90000 s.
const TimeBase = 90_000

// Segment is one independently decodable piece of a stream, starting on an
// IDR frame, as MPEG-TS.
type Segment struct {
	// Seq numbers segments of one stream from 0 in the order they were cut.
	Seq int64
	// Data is the MPEG-TS bytes.
	Data []byte
	// Duration is the media time the segment covers.
	Duration time.Duration
	// StartPTS is the PTS of the first video frame in 90 kHz ticks.
	StartPTS int64
}

// Rendition is one transcoded output of a segment.
type Rendition struct {
	// Profile is the rung this rendition was made for.
	Profile Profile
	// Width and Height are the encoded size (never above the source's).
	Width  int
	Height int
	// Frames is the number of encoded video frames.
	Frames int64
	// Container says how Data is packaged.
	Container Container
	// Init is the fMP4 initialization section (ftyp+moov); nil for MPEG-TS.
	Init []byte
	// Data is the media bytes: a whole TS file, or fMP4 fragments (moof+mdat).
	Data []byte
	// Codecs is the RFC 6381 codecs value for HLS, e.g. "avc1.64001f,mp4a.40.2".
	Codecs string
}

// Pixels is the number of output pixels, the unit transcoding is paid in.
func (r Rendition) Pixels() int64 { return int64(r.Width) * int64(r.Height) * r.Frames }

// Duration converts 90 kHz ticks to a time.Duration. Whole seconds and the
// remainder are converted apart so no intermediate product overflows.
func Duration(ticks int64) time.Duration {
	return time.Duration(ticks/TimeBase)*time.Second + time.Duration(ticks%TimeBase)*time.Second/TimeBase
}

// Ticks converts a time.Duration to 90 kHz ticks, without overflow for any
// duration (d * 90000 would overflow past about 28 hours).
func Ticks(d time.Duration) int64 {
	return int64(d/time.Second)*TimeBase + int64(d%time.Second)*TimeBase/int64(time.Second)
}
