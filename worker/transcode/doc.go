// Package transcode turns one MPEG-TS segment into every rendition of an
// ABR ladder with a single ffmpeg process: one decode, a split filter
// feeding one scaler and one encoder per profile (DESIGN.md §3).
//
// Decisions, and what was measured to make them (ffmpeg 5.1, Debian 12):
//
//   - Timestamps. ffmpeg runs with -copyts, and MPEG-TS outputs with
//     -muxdelay 0, so every rendition keeps the source PTS (checked: a
//     segment starting at 3.4667 s gives renditions starting at 3.4667 s;
//     without -copyts they start near 1.4 s). Renditions of consecutive
//     segments therefore line up in a playlist (RFC 8216 §3). Encoders
//     get -enc_time_base 1:90000: by default their time base is 1/fps, and
//     ffmpeg rounds every timestamp onto that grid, so a source whose
//     timestamps sit between grid points (FLV's millisecond clock, an
//     encoder that loops its input) came out with the last frame of one
//     segment and the first of the next on the same PTS. With the MPEG-TS
//     clock as time base every PTS is kept exactly; -fps_mode passthrough
//     keeps the mp4 muxer from filling that fine grid with duplicated
//     frames (it defaults to constant frame rate).
//   - fMP4 time. The mp4 muxer shifts timestamps to zero unless told not
//     to: fMP4 outputs add -avoid_negative_ts disabled, and the movflag
//     frag_discont so the first tfdt (ISO/IEC 14496-12 §8.8.12) is the
//     first sample's decode time instead of 0. -video_track_timescale 90000
//     makes that tfdt the source PTS in 90 kHz ticks exactly. delay_moov is
//     needed with copied AAC: the ADTS→ASC bitstream filter only knows the
//     AudioSpecificConfig after the first packet, and an esds without it is
//     unplayable. skip_trailer drops the mfra index.
//   - No upscaling. Each rendition's size is the source aspect ratio fitted
//     inside the profile's box, never larger than the source, both sides
//     even (OutputSize). A rung whose box is larger than the source is kept
//     at the source size with the profile's bitrate, so a stream always has
//     the renditions its ladder names: a 640x360 source gives 640x360 for
//     720p, 480p and 360p. Frame rate is never raised either: a profile
//     FPS above the source's keeps the source rate. A lower rate is set
//     with the fps filter, not -r: with -copyts, -r 15 turned a 2 s
//     segment into 31 frames, fps=15 into 30. The source rate is measured
//     from the segment's PTS span.
//   - Fixed GOP. Keyframes every Config.GOP (frames = fps × GOP), with
//     scene-cut keyframes off (x264 -sc_threshold 0, x265 scenecut=0, NVENC
//     -no-scenecut), so every rendition starts each segment on an IDR.
//   - Codecs. h264 and hevc go in MPEG-TS; vp9 and av1 in fragmented MP4
//     (ffmpeg 5.1 writes AV1 into TS as opaque data). SVT-AV1 1.4 rejects a
//     max bitrate equal to its target, so AV1 is plain VBR at the profile
//     bitrate; the others use maxrate = bitrate and a 2× buffer.
//   - Audio. Copied when it is AAC, otherwise encoded to AAC 128 kb/s
//     stereo; every rendition carries it. No audio track, no audio.
//   - Hardware. hw.Detect's encoders are used for their codecs, decoding
//     and scaling stay on the CPU, frames are uploaded for VA-API and QSV.
//     One job uses at most one VA-API/QSV device; a codec whose encoder
//     would need a second one is encoded in software. When a job with a
//     hardware encoder fails for any reason but its input, it is counted
//     and run again with software encoders before an error is returned.
//   - Software encoders (libx264, libx265, libvpx-vp9, libsvtav1) are
//     assumed present, as in Debian's ffmpeg that `make setup` installs; a
//     missing one fails jobs with a retryable error.
//   - Errors. A bad segment (not MPEG-TS, truncated, no video, an
//     unsupported codec, ffmpeg unable to read or decode it) or a bad
//     ladder is an *InputError: retrying it elsewhere cannot help. Anything
//     else (ffmpeg missing, crashing, killed, an unreadable output) is
//     retryable. Errors carry the tail of ffmpeg's stderr.
package transcode
