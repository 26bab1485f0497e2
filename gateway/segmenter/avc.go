package segmenter

import (
	"bytes"
	"fmt"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
)

// decoderConfig is what castmesh needs from an AVCDecoderConfigurationRecord.
type decoderConfig struct {
	// lengthSize is the size of each NAL unit's length prefix: 1, 2 or 4.
	lengthSize int
	params     paramSets
}

// paramSets are the SPS and PPS NAL units put in front of every IDR.
type paramSets struct {
	sps [][]byte
	pps [][]byte
}

func (p paramSets) equal(o paramSets) bool {
	return equalNALUs(p.sps, o.sps) && equalNALUs(p.pps, o.pps)
}

func equalNALUs(a, b [][]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !bytes.Equal(a[i], b[i]) {
			return false
		}
	}
	return true
}

// parseDecoderConfig parses an AVCDecoderConfigurationRecord (ISO/IEC
// 14496-15 §5.3.3.1.2; §5.2.4.1 in the 2004 edition):
//
//	configurationVersion(8)=1 AVCProfileIndication(8) profile_compatibility(8)
//	AVCLevelIndication(8) reserved(6)=1 lengthSizeMinusOne(2)
//	reserved(3)=1 numOfSequenceParameterSets(5) {length(16) SPS}...
//	numOfPictureParameterSets(8) {length(16) PPS}...
//
// The High-profile extension that may follow is not needed and is ignored.
// The NAL units are copied, and the first SPS must parse.
func parseDecoderConfig(b []byte) (decoderConfig, error) {
	if len(b) < 7 {
		return decoderConfig{}, fmt.Errorf("%w: %d bytes", ErrBadDecoderConfig, len(b))
	}
	if b[0] != 1 {
		return decoderConfig{}, fmt.Errorf("%w: configurationVersion %d", ErrBadDecoderConfig, b[0])
	}
	conf := decoderConfig{lengthSize: int(b[4]&3) + 1}
	if conf.lengthSize == 3 {
		return decoderConfig{}, fmt.Errorf("%w: NAL length size 3", ErrBadDecoderConfig)
	}
	rest := b[5:]
	var err error
	if conf.params.sps, rest, err = readParamSets(rest, int(rest[0]&0x1f), h264.NALUTypeSPS); err != nil {
		return decoderConfig{}, err
	}
	if len(rest) < 1 {
		return decoderConfig{}, fmt.Errorf("%w: no PPS count", ErrBadDecoderConfig)
	}
	if conf.params.pps, _, err = readParamSets(rest, int(rest[0]), h264.NALUTypePPS); err != nil {
		return decoderConfig{}, err
	}
	if err := checkSPS(conf.params.sps[0]); err != nil {
		return decoderConfig{}, fmt.Errorf("%w: %w", ErrBadDecoderConfig, err)
	}
	return conf, nil
}

// readParamSets reads count 16-bit-length-prefixed NAL units of type typ
// after the count byte at b[0].
func readParamSets(b []byte, count int, typ h264.NALUType) ([][]byte, []byte, error) {
	if count == 0 {
		return nil, nil, fmt.Errorf("%w: no %v", ErrBadDecoderConfig, typ)
	}
	b = b[1:]
	out := make([][]byte, 0, count)
	for range count {
		if len(b) < 2 {
			return nil, nil, fmt.Errorf("%w: %v length past the end", ErrBadDecoderConfig, typ)
		}
		n := int(b[0])<<8 | int(b[1])
		if n == 0 || len(b) < 2+n {
			return nil, nil, fmt.Errorf("%w: %v of %d bytes past the end", ErrBadDecoderConfig, typ, n)
		}
		nalu := b[2 : 2+n]
		if err := checkNALU(nalu); err != nil || h264.NALUType(nalu[0]&0x1f) != typ {
			return nil, nil, fmt.Errorf("%w: bad %v NAL unit", ErrBadDecoderConfig, typ)
		}
		out = append(out, bytes.Clone(nalu))
		b = b[2+n:]
	}
	return out, b, nil
}

// checkSPS reports whether an SPS parses and describes a picture.
func checkSPS(nalu []byte) error {
	var sps h264.SPS
	if err := sps.Unmarshal(nalu); err != nil {
		return fmt.Errorf("bad SPS: %w", err)
	}
	if sps.Width() <= 0 || sps.Height() <= 0 {
		return fmt.Errorf("bad SPS: size %dx%d", sps.Width(), sps.Height())
	}
	return nil
}

// splitAVCC appends to dst the NAL units of an access unit in AVCC form:
// each NAL unit preceded by its length in lengthSize big-endian bytes
// (ISO/IEC 14496-15 §5.3.4.2). Zero-length entries are skipped. The result
// aliases b.
func splitAVCC(dst [][]byte, b []byte, lengthSize int) ([][]byte, error) {
	for len(b) > 0 {
		if len(b) < lengthSize {
			return dst, fmt.Errorf("%w: %d bytes left for a %d-byte length", ErrBadAVCC, len(b), lengthSize)
		}
		n := 0
		for _, c := range b[:lengthSize] {
			n = n<<8 | int(c)
		}
		b = b[lengthSize:]
		if n > len(b) {
			return dst, fmt.Errorf("%w: NAL unit of %d bytes with %d left", ErrBadAVCC, n, len(b))
		}
		if n == 0 {
			continue
		}
		if err := checkNALU(b[:n]); err != nil {
			return dst, err
		}
		dst = append(dst, b[:n])
		b = b[n:]
	}
	return dst, nil
}

// checkNALU rejects what cannot be a NAL unit and would corrupt the Annex B
// byte stream the TS carries (ISO/IEC 14496-10 §7.4.1, §B.1): a set
// forbidden_zero_bit, a trailing zero byte, or a byte pattern 00 00 00,
// 00 00 01 or 00 00 02 that emulation prevention should have escaped.
func checkNALU(n []byte) error {
	if n[0]&0x80 != 0 || n[len(n)-1] == 0 {
		return fmt.Errorf("%w: not a NAL unit", ErrBadAVCC)
	}
	for i := 0; ; {
		j := bytes.Index(n[i:], []byte{0, 0})
		if j < 0 || i+j+2 >= len(n) {
			return nil
		}
		i += j + 2
		if n[i] <= 2 {
			return fmt.Errorf("%w: start code inside a NAL unit", ErrBadAVCC)
		}
	}
}

// hasIDR reports whether an access unit holds an IDR slice.
func hasIDR(au [][]byte) bool {
	for _, n := range au {
		if h264.NALUType(n[0]&0x1f) == h264.NALUTypeIDR {
			return true
		}
	}
	return false
}

// inBandParams returns the parameter sets in an access unit, each list nil
// when there is none, and whether any was found. An SPS that does not
// parse makes the whole set ignored.
func inBandParams(au [][]byte) (paramSets, bool) {
	var p paramSets
	for _, n := range au {
		switch h264.NALUType(n[0] & 0x1f) {
		case h264.NALUTypeSPS:
			if checkSPS(n) != nil {
				return paramSets{}, false
			}
			p.sps = append(p.sps, n)
		case h264.NALUTypePPS:
			p.pps = append(p.pps, n)
		}
	}
	return p, p.sps != nil || p.pps != nil
}
