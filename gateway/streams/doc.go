// Package streams is the gateway's stream manager: it admits publishers
// (implementing ingest.Opener for every ingest protocol), owns each live
// stream, sends its segments to the network and puts the renditions into the
// stream's HLS playlists, and lists the live streams at GET /api/streams.
//
// Each stream runs at most max_in_flight segments at once (segments of one
// stream are independent, so a slow one does not hold up the next) and
// queues up to max_queued more; beyond that a segment is dropped and marked
// as a gap in the playlists, so a stream the network cannot keep up with
// degrades instead of queueing without bound. A segment that fails on every
// orchestrator is likewise a gap; the stream goes on.
//
// A publisher's second RTMP connection with a live key is refused; an HTTP
// push with a live key continues that stream, and an HTTP push stream ends
// after push_idle_timeout without a segment. Closing a stream lets its
// segments in flight finish, then ends the playlists (the recording becomes
// VOD) and the stream's orchestrator sessions.
package streams
