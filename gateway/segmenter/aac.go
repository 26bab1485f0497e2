package segmenter

import (
	"fmt"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/mpeg4audio"
)

// maxAACFrame is the largest raw AAC frame accepted. ADTS could describe
// 8184 bytes (aac_frame_length is 13 bits and counts the 7-byte header,
// ISO/IEC 13818-7 §6.2.1), but mediacommon's reader, which ProbeTS uses,
// refuses frames over MaxAccessUnitSize (5 KiB; AAC-LC needs at most 768
// bytes a channel).
const maxAACFrame = mpeg4audio.MaxAccessUnitSize

// adtsRate reports whether an ADTS sampling_frequency_index can name a
// rate (ISO/IEC 13818-7 Table 35); ADTS has no escape for other rates.
func adtsRate(r int) bool {
	switch r {
	case 96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350:
		return true
	}
	return false
}

// parseAudioConfig parses an AudioSpecificConfig (ISO/IEC 14496-3
// §1.6.2.1) and checks that the MPEG-TS writer can describe it in ADTS:
// AAC-LC core (HE-AAC's explicit SBR/PS signalling is reduced to its core by
// the parser), a listed sample rate and a channel configuration of 1-7
// (ADTS cannot carry a program config element from the config).
func parseAudioConfig(b []byte) (*mpeg4audio.AudioSpecificConfig, error) {
	var c mpeg4audio.AudioSpecificConfig
	if err := c.Unmarshal(b); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadAudioConfig, err)
	}
	if c.Type < 1 || c.Type > 4 {
		return nil, fmt.Errorf("%w: object type %d", ErrBadAudioConfig, c.Type)
	}
	if !adtsRate(c.SampleRate) {
		return nil, fmt.Errorf("%w: sample rate %d", ErrBadAudioConfig, c.SampleRate)
	}
	if c.ChannelConfig < 1 || c.ChannelConfig > 7 {
		return nil, fmt.Errorf("%w: channel configuration %d", ErrBadAudioConfig, c.ChannelConfig)
	}
	if c.FrameLengthFlag || c.DependsOnCoreCoder {
		return nil, fmt.Errorf("%w: 960-sample frames or core coder are not supported", ErrBadAudioConfig)
	}
	return &c, nil
}

func sameAudioConfig(a, b *mpeg4audio.AudioSpecificConfig) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}
