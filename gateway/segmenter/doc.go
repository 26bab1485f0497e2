// Package segmenter cuts a live H.264 + AAC elementary stream, as demuxed
// from RTMP/FLV, into self-contained MPEG-TS segments in pure Go
// (mediacommon/v2's MPEG-TS writer; no ffmpeg at run time).
//
// Decisions, in the order a frame meets them:
//
//   - Cuts happen only at access units that contain an IDR NAL unit (type 5,
//     ISO/IEC 14496-10 §7.4.1.2.4), found by scanning the AVCC payload. The
//     FLV keyframe flag is not trusted: GStreamer's flvmux also flags
//     non-IDR I-frames, and a segment starting on one does not decode alone.
//   - A segment is closed at the first IDR at least Config.Target past its
//     start (less half a frame, so RTMP's millisecond rounding cannot push a
//     2 s GOP to 4 s segments). Frames before the first IDR are dropped.
//   - SPS and PPS (from the AVCDecoderConfigurationRecord, ISO/IEC 14496-15
//     §5.3.3.1, or sent in band) are put in front of every IDR, and every
//     segment starts with PAT/PMT, so each segment decodes on its own.
//     Changed parameter sets (a resolution change) take effect at the next
//     IDR, which always starts a new segment.
//   - A GOP longer than Config.Max is refused with ErrGOPTooLong: the
//     segment in progress is dropped and the Segmenter waits for the next
//     IDR. A segment that long would stall playback and transcoding, and
//     the bound also caps the memory one publisher can hold.
//   - Every PTS/DTS gets TimestampOffset added. RTMP starts at 0 and an
//     encoder with B-frames sends PTS ahead of DTS, so the first DTS a
//     decoder derives can be below zero; MPEG-TS timestamps are unsigned
//     33-bit values (ISO/IEC 13818-1 §2.4.3.7) and players treat a wrapped
//     one as a 26-hour jump.
//   - Audio frames go into the segment whose time range holds their PTS;
//     a frame that arrives after its segment was cut goes into the next one
//     rather than being lost. A segment with no audio frame has no audio
//     track, because readers learn the AAC configuration from the first
//     ADTS frame.
//
// Frames are buffered per segment and multiplexed when the segment ends,
// interleaved by time, so a segment's tracks are known before its PMT is
// written.
package segmenter
