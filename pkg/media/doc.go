// Package media holds the media types every role shares (profiles, segments,
// renditions) and inspects MPEG-TS and fragmented MP4 segments in pure Go.
//
// Timestamps are in the MPEG-TS 90 kHz clock throughout (ISO/IEC 13818-1
// §2.4.3.7), so a segment's PTS survives the trip gateway → orchestrator →
// worker → playlist unchanged; ffmpeg is run with -copyts for that reason.
package media
