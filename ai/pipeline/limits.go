package pipeline

// Limits bound what one request may ask for, so a single caller cannot
// make a node allocate without bound. Gateways check them before any work
// and runners check them again.
type Limits struct {
	// MaxImagePixels bounds an input image (width × height).
	MaxImagePixels int64
	// MaxOutputSide bounds a requested output width or height.
	MaxOutputSide int
	// MaxImages bounds num_images_per_prompt.
	MaxImages int
	// MaxFieldBytes bounds a multipart text field.
	MaxFieldBytes int64
	// MaxParts bounds the parts of a multipart body.
	MaxParts int
}

// DefaultLimits returns the defaults.
func DefaultLimits() Limits {
	return Limits{
		// 4096 × 4096: the largest input a 2-core CPU worker upscales in
		// minutes rather than hours; GPU runners go no further in practice.
		MaxImagePixels: 4096 * 4096,
		// 2048: SDXL's native 1024 doubled; video models stop at 1024.
		MaxOutputSide: 2048,
		// 8 images per prompt, as diffusers pipelines are commonly capped.
		MaxImages: 8,
		// 4 MiB: a 256 × 256 SAM mask_input as JSON is about 1 MiB.
		MaxFieldBytes: 4 << 20,
		MaxParts:      32,
	}
}
