package store

import "fmt"

// maxName is the longest app or kind name.
const maxName = 64

// checkName reports whether s is a valid app or kind name: 1 to 64 bytes of
// ASCII letters, digits, '_', '-' and '.', starting with a letter or digit.
func checkName(what, s string) error {
	if len(s) == 0 || len(s) > maxName || !isAlnum(s[0]) {
		return fmt.Errorf("%w: %s [%.80q]", ErrBadName, what, s)
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; !isAlnum(c) && c != '_' && c != '-' && c != '.' {
			return fmt.Errorf("%w: %s [%.80q]", ErrBadName, what, s)
		}
	}
	return nil
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// ValidName returns nil when s may be used as an app or kind name, else an
// error wrapping ErrBadName. Callers use it to reject a bad app name early.
func ValidName(s string) error { return checkName("name", s) }
