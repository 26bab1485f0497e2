// Package rtmp is the gateway's RTMP ingest server: publishers (OBS,
// ffmpeg, GStreamer) push to rtmp://HOST:PORT/{app}/{streamKey}, the key is
// checked through an ingest.Opener, and the FLV-wrapped H.264 + AAC (Adobe
// FLV spec v10.1 §E.4.2-E.4.3) is cut into MPEG-TS segments by
// gateway/segmenter and pushed to the stream.
//
// The RTMP protocol itself (handshake, chunking, AMF commands; Adobe RTMP
// spec 1.0) is github.com/yutopp/go-rtmp. Its Server starts an unowned
// goroutine per connection and spins on Accept errors, so this package runs
// its own accept loop and hands each connection over through an in-memory
// listener; every connection is owned by a goroutine here (run around
// runInner, which returns why the connection ended, logged once) that
// waits until go-rtmp has closed it.
//
// Decisions:
//   - The first byte of a connection must be the RTMP version 3 (RTMP spec
//     §5.2.2); anything else (an HTTP request, TLS, noise) is closed at
//     once. The C2 echo check rejects most other noise; HandshakeTimeout
//     bounds the time from accept to an accepted publish.
//   - One publish per connection; playing is refused (egress is HLS).
//   - Only legacy FLV AVC video and AAC audio are accepted. Other codecs,
//     including Enhanced RTMP (HEVC, AV1, VP9: go-flv cannot parse its
//     extended header), end the connection with a *media.UnsupportedCodecError
//     and the metric reason unsupported_codec.
//   - Any error from the segmenter (malformed media, a GOP over the
//     segmenter's maximum) ends the connection: a publisher sending such a
//     stream is misconfigured, and a clear end beats a stream with holes.
//   - When the publisher leaves, times out or the server shuts down, the
//     last partial segment is flushed and the stream closed; a refused
//     stream is closed without a flush. When the gateway ends the stream
//     first (its Done channel), the connection is closed.
package rtmp
