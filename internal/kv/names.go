package kv

import (
	"fmt"
	"strings"
)

// MaxKey bounds the bytes of a key.
const MaxKey = 1024

// maxName bounds database and collection names.
const maxName = 64

// checkName reports whether s is a database or collection name: 1-64 of
// A-Z a-z 0-9 _ -. Such names need no escaping in a Redis key, a Redis
// glob or a MongoDB collection name, and cannot hold the separators of
// the namespaces.
func checkName(what, s string) error {
	if s == "" || len(s) > maxName {
		return fmt.Errorf("%w: %s name %.80q must be 1-%d characters", ErrInvalid, what, s, maxName)
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return fmt.Errorf("%w: %s name %q may hold only A-Z a-z 0-9 _ -", ErrInvalid, what, s)
		}
	}
	return nil
}

// checkKey reports whether s is a key: 1-MaxKey bytes.
func checkKey(s string) error {
	if s == "" || len(s) > MaxKey {
		return fmt.Errorf("%w: a key must be 1-%d bytes", ErrInvalid, MaxKey)
	}
	return nil
}

// checkApp refuses app names that could break a namespace: the host's app
// names are store names (letters, digits, _ - .), which never do.
func checkApp(app string) error {
	if app == "" || strings.ContainsAny(app, ":$\x00/*?[]\\") || app[0] == '.' {
		return fmt.Errorf("%w: app name %q", ErrInvalid, app)
	}
	return nil
}
