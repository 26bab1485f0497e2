package media

// CodecWeight is how many billed pixels one output pixel of codec counts
// as: transcoding is priced per H.264-equivalent pixel, so a ladder's
// price weighs what each rung costs to encode. Measured on the workers'
// software encoders at their default presets, x265 and libvpx-vp9 take
// about twice x264's time per pixel, SVT-AV1 about three times. The
// weights are part of the protocol: gateway and orchestrator must count
// alike, so they are constants, not configuration; an orchestrator that
// wants other ratios sets its one price accordingly.
func CodecWeight(c VideoCodec) int64 {
	switch c {
	case HEVC, VP9:
		return 2
	case AV1:
		return 3
	}
	return 1
}
