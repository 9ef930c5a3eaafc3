package identity

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// maxUsername bounds a username, in characters.
const maxUsername = 256

// NormalizeUsername returns the form a username is stored and looked up
// in: trimmed of surrounding white space and in Unicode NFC, so that
// " alice " and "alice", or a precomposed and a decomposed "é", name one
// account. It refuses names that are empty, too long or not UTF-8, and
// names with characters that are invisible or reorder the text around
// them (controls such as NUL, bidi overrides, the byte order mark, other
// format characters, line and paragraph separators): two such names can
// look identical in a log or an admin view while naming different users.
func NormalizeUsername(username string) (string, error) {
	if !utf8.ValidString(username) {
		return "", fmt.Errorf("%w: username must be valid UTF-8", ErrValidation)
	}
	name := norm.NFC.String(strings.TrimSpace(username))
	switch {
	case name == "":
		return "", fmt.Errorf("%w: username must not be empty", ErrValidation)
	case utf8.RuneCountInString(name) > maxUsername:
		return "", fmt.Errorf("%w: username must be at most %d characters", ErrValidation, maxUsername)
	}
	for _, r := range name {
		if unicode.In(r, unicode.Cc, unicode.Cf, unicode.Zl, unicode.Zp) {
			return "", fmt.Errorf("%w: username must not contain control, format or bidi characters (found U+%04X)", ErrValidation, r)
		}
	}
	return name, nil
}
