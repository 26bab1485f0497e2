// Package classical holds castmesh's built-in CPU models that are not
// neural networks. Each one says so in its model id ("procedural/…",
// "classical/…") and does exactly what is listed here, nothing more: no
// weights, no training, no learned prior. They let a CPU-only worker answer
// the ai-runner API honestly; real generative work goes to a GPU runner.
//
//   - procedural/seeded-noise (text-to-image, pure Go): domain-warped
//     fractal value noise coloured by a palette. The palette comes from a
//     hash of the prompt (nudged by the seed), the layout from the prompt
//     and the seed; the prompt itself is optionally drawn at the bottom in
//     a bitmap font. The same seed and prompt give the same PNG bytes.
//     It is not a picture of the prompt.
//   - classical/ffmpeg-stylize (image-to-image): a named ffmpeg filter
//     chain (cartoon, posterize, sketch or neon) blended with the input by
//     strength. The prompt is only scanned for a style keyword.
//   - classical/ffmpeg-kenburns (image-to-video): ffmpeg zoompan zooms into
//     a seeded point of the image, giving pipeline.VideoFrames PNG frames.
//   - classical/ffmpeg-lanczos-x2, classical/ffmpeg-lanczos-x4 (upscale):
//     ffmpeg's Lanczos scaler; the prompt is ignored.
//   - classical/region-grow (segment-anything-2, pure Go): flood fill in
//     CIELAB colour space from the prompt's points, at up to three
//     tolerances.
//
// No model runs a safety check: every Media has NSFW false because nothing
// looked, not because something found the image safe.
//
// The ffmpeg models decode the input in Go first, so an unreadable image
// is the caller's fault (pipeline.ErrBadInput) and a failing ffmpeg run on
// a decoded image is this node's (*FFmpegError, ErrBadOutput). Raw RGBA
// goes to ffmpeg on stdin and comes back on stdout; no temporary files are
// written.
package classical
