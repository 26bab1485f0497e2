package hlsplaylist

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// checkURI reports whether u can stand on a line of its own as a URI line
// (RFC 8216 §4.1): lines starting with '#' are tags or comments and white
// space is not allowed.
func checkURI(u string) error {
	if u == "" || u[0] == '#' || !utf8.ValidString(u) {
		return fmt.Errorf("%w: %q", ErrBadURI, u)
	}
	if i := strings.IndexFunc(u, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }); i >= 0 {
		return fmt.Errorf("%w: %q has white space or a control character", ErrBadURI, u)
	}
	return nil
}

// checkQuotedURI checks a URI that is written as a quoted-string attribute
// (RFC 8216 §4.2: no CR, LF or double quote).
func checkQuotedURI(u string) error {
	if err := checkURI(u); err != nil {
		return err
	}
	if strings.ContainsRune(u, '"') {
		return fmt.Errorf("%w: %q has a double quote", ErrBadURI, u)
	}
	return nil
}

// checkQuoted checks a quoted-string attribute value that may be empty.
func checkQuoted(name, v string) error {
	if !utf8.ValidString(v) || strings.ContainsRune(v, '"') || strings.IndexFunc(v, unicode.IsControl) >= 0 {
		return fmt.Errorf("%w: %s %q", ErrBadAttribute, name, v)
	}
	return nil
}
