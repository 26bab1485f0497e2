package segmenter

import "errors"

// Errors the Segmenter returns. All but ErrClosed mean the publisher sent
// something castmesh cannot use; the frame in question is dropped.
var (
	// ErrBadDecoderConfig means the AVCDecoderConfigurationRecord is
	// malformed (ISO/IEC 14496-15 §5.3.3.1).
	ErrBadDecoderConfig = errors.New("malformed AVC decoder configuration record")
	// ErrBadAVCC means a length-prefixed access unit is malformed: a length
	// runs past the end, or a NAL unit is not a valid one.
	ErrBadAVCC = errors.New("malformed AVCC access unit")
	// ErrBadAudioConfig means the AudioSpecificConfig is malformed or
	// describes AAC that ADTS cannot carry.
	ErrBadAudioConfig = errors.New("invalid AAC audio specific config")
	// ErrBadAudioFrame means a raw AAC frame is empty or too long for ADTS.
	ErrBadAudioFrame = errors.New("invalid AAC frame")
	// ErrNoVideoConfig means a video frame came before any decoder config.
	ErrNoVideoConfig = errors.New("video frame before the decoder configuration")
	// ErrNoAudioConfig means an audio frame came before any audio config.
	ErrNoAudioConfig = errors.New("audio frame before the audio configuration")
	// ErrBadTimestamp means a DTS went backwards, a PTS came before its DTS,
	// or a timestamp is out of range.
	ErrBadTimestamp = errors.New("invalid timestamp")
	// ErrGOPTooLong means no IDR came within Config.Max of the last one.
	ErrGOPTooLong = errors.New("GOP longer than the maximum segment duration")
	// ErrSegmentTooLarge means a segment grew past Config.MaxBytes.
	ErrSegmentTooLarge = errors.New("segment larger than the maximum size")
	// ErrClosed means the Segmenter was used after Close.
	ErrClosed = errors.New("segmenter closed")
)
