package hlsplaylist

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// masterVersion is the EXT-X-VERSION of multivariant playlists; see the
// package doc.
const masterVersion = 3

// maxBandwidth keeps BANDWIDTH a decimal-integer every player parses; many
// store it in a signed 32-bit int.
const maxBandwidth = math.MaxInt32

// Variant is one rendition of a stream as the multivariant playlist lists it
// (an EXT-X-STREAM-INF tag and its URI, RFC 8216 §4.3.4.2).
type Variant struct {
	// URI of the variant's media playlist, usually relative.
	URI string
	// Bandwidth is the peak segment bit rate in bits per second, container
	// overhead included. Required.
	Bandwidth int
	// AverageBandwidth is the average segment bit rate in bits per second;
	// 0 leaves AVERAGE-BANDWIDTH out.
	AverageBandwidth int
	// Width and Height are the video size; 0x0 leaves RESOLUTION out.
	Width, Height int
	// Codecs is the RFC 6381 list, e.g. "avc1.64001f,mp4a.40.2"; empty
	// leaves CODECS out (§4.3.4.2 says every variant SHOULD have it).
	Codecs string
	// FrameRate is the maximum frame rate; 0 leaves FRAME-RATE out.
	FrameRate float64
}

func (v Variant) validate() error {
	if err := checkURI(v.URI); err != nil {
		return err
	}
	switch {
	case v.Bandwidth <= 0 || v.Bandwidth > maxBandwidth:
		return fmt.Errorf("%w: BANDWIDTH %d", ErrBadAttribute, v.Bandwidth)
	case v.AverageBandwidth < 0 || v.AverageBandwidth > maxBandwidth:
		return fmt.Errorf("%w: AVERAGE-BANDWIDTH %d", ErrBadAttribute, v.AverageBandwidth)
	case v.Width < 0 || v.Height < 0 || (v.Width == 0) != (v.Height == 0):
		return fmt.Errorf("%w: RESOLUTION %dx%d", ErrBadAttribute, v.Width, v.Height)
	case math.IsNaN(v.FrameRate) || v.FrameRate < 0 || v.FrameRate > 1000 || (v.FrameRate > 0 && v.FrameRate < 0.0005):
		return fmt.Errorf("%w: FRAME-RATE %v", ErrBadAttribute, v.FrameRate)
	}
	return checkQuoted("CODECS", v.Codecs)
}

// Master returns the multivariant playlist listing variants in the order
// given, which players treat as a preference only where bandwidths tie.
// It declares EXT-X-INDEPENDENT-SEGMENTS (§4.3.5.1), so every segment of
// every variant must start with a key frame.
func Master(variants []Variant) ([]byte, error) {
	if len(variants) == 0 {
		return nil, ErrNoVariants
	}
	var b strings.Builder
	b.WriteString("#EXTM3U\n#EXT-X-VERSION:" + strconv.Itoa(masterVersion) + "\n#EXT-X-INDEPENDENT-SEGMENTS\n")
	for i, v := range variants {
		if err := v.validate(); err != nil {
			return nil, fmt.Errorf("variant %d: %w", i, err)
		}
		writeStreamInf(&b, v)
	}
	return []byte(b.String()), nil
}

func writeStreamInf(b *strings.Builder, v Variant) {
	b.WriteString("#EXT-X-STREAM-INF:BANDWIDTH=" + strconv.Itoa(v.Bandwidth))
	if v.AverageBandwidth > 0 {
		b.WriteString(",AVERAGE-BANDWIDTH=" + strconv.Itoa(v.AverageBandwidth))
	}
	if v.Width > 0 {
		b.WriteString(",RESOLUTION=" + strconv.Itoa(v.Width) + "x" + strconv.Itoa(v.Height))
	}
	if v.FrameRate > 0 {
		// §4.3.4.2: a decimal-floating-point rounded to three places.
		b.WriteString(",FRAME-RATE=" + strconv.FormatFloat(v.FrameRate, 'f', 3, 64))
	}
	if v.Codecs != "" {
		b.WriteString(`,CODECS="` + v.Codecs + `"`)
	}
	b.WriteString("\n" + v.URI + "\n")
}
