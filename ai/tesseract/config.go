package tesseract

import (
	"errors"
	"fmt"
)

// Config says where tesseract and its model are and bounds the images it
// reads.
type Config struct {
	// Tesseract is the tesseract command; a bare name is looked up in PATH.
	Tesseract string `yaml:"tesseract"`
	// TessdataDir is the folder holding eng.traineddata; empty means
	// tesseract's own default (Debian: /usr/share/tesseract-ocr/5/tessdata).
	TessdataDir string `yaml:"tessdata_dir"`
	// PageSegMode is tesseract's --psm: how it finds the text on a page.
	PageSegMode int `yaml:"page_seg_mode"`
	// Threads bounds tesseract's OpenMP threads (OMP_THREAD_LIMIT).
	Threads int `yaml:"threads"`
	// MaxPixels bounds an image's width × height.
	MaxPixels int64 `yaml:"max_pixels"`
}

// DefaultConfig returns the defaults.
func DefaultConfig() Config {
	return Config{
		Tesseract: "tesseract",
		// 3: fully automatic page segmentation, tesseract's default; it
		// finds blocks, columns and lines anywhere in the image.
		PageSegMode: 3,
		// 1: OpenMP threads spin while waiting, and on a 2-core worker a
		// 800 × 200 image read in 0.15 s with one thread and 0.30 s with
		// two; run requests side by side instead.
		Threads: 1,
		// 4096 × 4096, as pipeline.DefaultLimits: 16 M grey bytes in
		// memory, read in tens of seconds.
		MaxPixels: 4096 * 4096,
	}
}

// Validate names the first bad key.
func (c Config) Validate() error {
	switch {
	case c.Tesseract == "":
		return errors.New("tesseract must be set")
	case c.PageSegMode < 1 || c.PageSegMode == 2 || c.PageSegMode > 13:
		// 0 only detects orientation; 2 is not implemented.
		return fmt.Errorf("page_seg_mode must be 1 or 3–13, got %d", c.PageSegMode)
	case c.Threads <= 0:
		return errors.New("threads must be positive")
	case c.MaxPixels <= 0:
		return errors.New("max_pixels must be positive")
	}
	return nil
}
