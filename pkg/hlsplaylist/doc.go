// Package hlsplaylist writes HLS playlists (RFC 8216): the multivariant
// ("master") playlist that lists an ABR ladder, and media playlists for live
// sliding windows, growing EVENT recordings and finished VOD recordings.
//
// The functions are pure: they take plain values and return the playlist
// text or an error. Inputs are validated first, so a bad URI or duration is
// an error instead of a playlist a player would choke on (RFC 8216 §4.1:
// UTF-8, no stray white space; §4.2: quoted strings hold no CR, LF or '"').
//
// Choices, with the rules they rest on:
//   - EXT-X-VERSION is the lowest that fits what is written (§7): 3 because
//     EXTINF durations are decimal (§4.3.2.1), 6 once EXT-X-MAP is used in a
//     playlist that is not I-frame only (§4.3.2.5). The multivariant
//     playlist writes 3, the version of the MPEG-TS media playlists it
//     usually points at; none of its own tags needs more than 1.
//   - EXTINF durations are written with millisecond precision.
//   - EXT-X-TARGETDURATION is the longest duration (as written, in whole
//     milliseconds) rounded up. §4.3.3.1 only requires the rounded-to-nearest
//     value to fit; rounding up satisfies that rule and older validators too.
//   - EXT-X-MAP is written before the first segment and again wherever the
//     map changes (§4.3.2.5: it applies until the next EXT-X-MAP). A playlist
//     may not mix segments with and without a map.
//   - EXT-X-DISCONTINUITY-SEQUENCE is written only when it is not 0 (§4.3.3.3
//     makes 0 the value when the tag is absent).
//   - EXT-X-GAP comes from the RFC 8216 successor draft
//     (draft-pantos-hls-rfc8216bis §4.4.4.7) and needs no version change.
package hlsplaylist
