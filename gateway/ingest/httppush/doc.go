// Package httppush is the HTTP push ingest: a publisher PUTs or POSTs one
// MPEG-TS segment at a time to /live/{stream}/{seq}.ts and the response
// carries the transcoded renditions. It speaks the protocol of Livepeer's
// gateway, so existing push clients work:
//
//   - {stream} is the stream key (1-128 of [A-Za-z0-9_-]); every push opens,
//     or resumes, the stream through ingest.Opener. The key is never logged.
//   - {seq} is the segment's sequence number, a non-negative integer.
//   - Content-Duration is the segment's length in milliseconds (default
//     Config.DefaultDuration); Content-Resolution, "WxH", is checked for
//     form only: the size probed from the body is what counts.
//   - Content-Slice-From/To (clipping) are refused with 400, and .mp4 output
//     is not offered: renditions come back as they were made (MPEG-TS, or
//     fMP4 for codecs MPEG-TS cannot carry).
//   - With Accept: multipart/mixed the body has one part per rendition
//     (Content-Type, Content-Length, Content-Disposition and
//     Rendition-Name headers); otherwise it is a JSON summary.
//
// The body is read (at most Config.MaxBody) and probed before a stream is
// opened, so a bad segment costs no stream and no payment. Every error is a
// JSON body {"error":{"code","message"}} with a stable code:
//
//	400 not_mpegts, truncated, bad_stream_name, bad_seq, bad_extension,
//	    bad_duration, bad_resolution, unsupported_header
//	403 unauthorized              404 not_found
//	405 method_not_allowed        409 stream_ended, key_in_use
//	413 body_too_large
//	422 no_video, unsupported_codec, invalid_input
//	500 open_failed               502 transcode_failed
//	503 too_many_streams, no_orchestrator, transcode_timeout
//
// An unsupported codec is 422, not 415: the body is MPEG-TS, the media type
// it claims, and Livepeer clients read 422 as "do not retry this segment".
// A publisher that hangs up mid-transcode gets nothing; the segment's
// renditions still reach the stream's playlists.
package httppush
