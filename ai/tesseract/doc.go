// Package tesseract reads the text in an image with Tesseract 5's LSTM
// recogniser (--oem 1) and its English model, serving the image-to-text
// pipeline as the model "tesseract/eng-lstm".
//
// This is text extraction (OCR), not captioning: where a BLIP runner
// describes what an image shows, this model returns the printed text it
// finds, or "" when there is none, and the prompt is ignored. It reads
// clean printed text well (scans, screenshots, slides, labels); photos of
// signs and handwriting come out poorly or not at all.
//
// Images are PNG, JPEG, GIF (the first frame) or WebP. They are decoded in
// Go, checked against Config.MaxPixels, laid over white where transparent,
// and handed to tesseract as an 8-bit grey PGM on its stdin. Tesseract never
// sees the upload itself: fed data that is not an image, it reads it as a
// list of file names or URLs and opens them.
//
// The text keeps Tesseract's lines, one per line, with runs of spaces
// collapsed and blank lines dropped.
package tesseract
