package rtmp

import (
	"fmt"
	"regexp"
	"strings"
)

// streamKey is what a stream key may hold: URL-safe characters (RFC 3986
// unreserved, plus + and = for base64 keys), never a path separator.
var streamKey = regexp.MustCompile(`^[A-Za-z0-9._~+=-]{1,256}$`)

// parseStreamKey returns the stream key of a publish command's publishing
// name (RTMP spec §7.2.2.6). Publishers append URL query parameters to it
// (rtmp://host/live/key?token=…); they are dropped.
func parseStreamKey(publishingName string) (string, error) {
	key, _, _ := strings.Cut(publishingName, "?")
	if !streamKey.MatchString(key) {
		return "", fmt.Errorf("%w: %d bytes, must be 1-256 of [A-Za-z0-9._~+=-]", ErrBadKey, len(key))
	}
	return key, nil
}

// parseApp returns the application name of a connect command (RTMP spec
// §7.2.1.1) without a query or trailing slashes, which some clients send.
func parseApp(app string) string {
	app, _, _ = strings.Cut(app, "?")
	return strings.TrimRight(app, "/")
}
