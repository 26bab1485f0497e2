// Package hls keeps the HLS output of every live stream (RFC 8216) and
// serves it over HTTP under /hls/:
//
//	/hls/{playbackId}/index.m3u8                multivariant playlist
//	/hls/{playbackId}/{rendition}/index.m3u8    live media playlist (sliding window)
//	/hls/{playbackId}/{rendition}/{seq}.ts      MPEG-TS segment (.m4s for fMP4)
//	/hls/{playbackId}/{rendition}/init-{n}.mp4  fMP4 initialization section
//	/hls/{playbackId}/recording.m3u8            recording, when Config.Record is on
//	/hls/{playbackId}/{rendition}/recording.m3u8
//
// # Ordering
//
// Transcoded segments arrive in any order (several are in flight at once,
// and a retry on another orchestrator finishes late), but enter the
// playlists strictly in sequence order: segment N+1 waits until N is added
// or skipped. When more than MaxPending later segments wait, the missing
// ones are given up. A segment given up or skipped makes the next one start
// with EXT-X-DISCONTINUITY (§4.3.2.3). A rendition missing from one segment
// gets an EXT-X-GAP entry there instead (draft-pantos-hls-rfc8216bis
// §4.4.4.7), so media and discontinuity sequence numbers stay the same in
// every rendition and players can switch between them (§6.2.4).
//
// # Concurrency
//
// Each Stream guards its state with one mutex; the Server guards its map of
// streams with another, always taken before a stream's. A loop goroutine
// per stream would serialise the same work, but every request a player makes
// would then cost two channel hand-offs and each stream a goroutine to own,
// while the critical sections here are short and never block: inserting a
// segment is an append, and playlists are rendered once per change and
// kept, so polling players share one render. Disk writes and reads happen
// outside the locks.
//
// # Storage and caching
//
// Memory storage keeps each rendition's live window plus as many segments
// again (RFC 8216 §6.2.2: a segment stays available after it leaves the
// playlist), or every segment when recording, within MaxRecordingBytes a
// stream and MaxMemoryBytes in all: past either, the stream stops
// recording (logged, counted) and keeps only its live window, and its
// recording playlist answers 404 recording_stopped, since an EVENT
// playlist may not lose segments. Disk storage writes segments to
// Dir/{playbackId}/{rendition}/{seq}.ts (init sections stay in memory:
// they are small) and deletes them likewise; at start it removes the
// stream directories a previous process left, which nothing would expire. An ended stream stays playable
// for RetainEnded and is then removed with its files. Segments, init
// sections and ended playlists are served with max-age=RetainEnded; live
// playlists with max-age=1; errors with no-cache. Every response carries
// Access-Control-Allow-Origin: * for browser players.
package hls
