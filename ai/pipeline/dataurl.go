package pipeline

import (
	"encoding/base64"
	"errors"
	"fmt"
	"mime"
	"net/url"
	"strings"
)

// ErrNotDataURL is a string that is not an RFC 2397 data URL.
var ErrNotDataURL = errors.New("not a data URL")

// DataURL encodes data as a base64 data URL (RFC 2397), as runners return
// their files.
func DataURL(mediaType string, data []byte) string {
	return "data:" + mediaType + ";base64," + base64.StdEncoding.EncodeToString(data)
}

// ParseDataURL decodes an RFC 2397 data URL: its media type (text/plain
// when it names none) and its bytes, base64 or percent-encoded.
func ParseDataURL(s string) (mediaType string, data []byte, err error) {
	rest, ok := strings.CutPrefix(s, "data:")
	if !ok {
		return "", nil, ErrNotDataURL
	}
	meta, payload, ok := strings.Cut(rest, ",")
	if !ok {
		return "", nil, fmt.Errorf("%w: no comma", ErrNotDataURL)
	}
	meta, isBase64 := strings.CutSuffix(meta, ";base64")
	mediaType = "text/plain"
	if meta != "" {
		mt, _, err := mime.ParseMediaType(meta)
		if err != nil {
			return "", nil, fmt.Errorf("%w: media type: %w", ErrNotDataURL, err)
		}
		mediaType = mt
	}
	if isBase64 {
		data, err = base64.StdEncoding.DecodeString(payload)
		if err != nil {
			// Some encoders drop the padding.
			if data, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(payload, "=")); err != nil {
				return "", nil, fmt.Errorf("%w: base64: %w", ErrNotDataURL, err)
			}
		}
		return mediaType, data, nil
	}
	text, err := url.PathUnescape(payload)
	if err != nil {
		return "", nil, fmt.Errorf("%w: %w", ErrNotDataURL, err)
	}
	return mediaType, []byte(text), nil
}
