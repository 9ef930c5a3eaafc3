package identity

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// Header parsers, kept apart and free of state so they can be fuzzed: they
// see raw attacker-controlled bytes before anything else does.

// maxHeaderToken bounds what the parsers accept; a JWT or an API key is far
// shorter, and refusing early keeps hashing and parsing cheap.
const maxHeaderToken = 8 << 10

// BearerToken extracts the token of an Authorization header, which must
// use the Bearer scheme (its name in any case, RFC 9110), as jac-scale
// requires: a bare token in the header is refused, so a header meant for
// another scheme is never read as a token. It returns false for a missing
// scheme and for an empty, oversized or space-containing token.
func BearerToken(header string) (string, bool) {
	h := strings.TrimSpace(header)
	if len(h) <= 7 || !strings.EqualFold(h[:7], "bearer ") {
		return "", false
	}
	return bareToken(h[7:])
}

// bareToken checks a token given outside a header (the body of
// /user/refresh-token), where a "Bearer " prefix is allowed, not needed.
func bareToken(s string) (string, bool) {
	h := strings.TrimSpace(s)
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		h = strings.TrimSpace(h[7:])
	}
	if h == "" || len(h) > maxHeaderToken || strings.ContainsAny(h, " \t\r\n") {
		return "", false
	}
	return h, true
}

// APIKeyPrefix starts every key this host mints, so a key is recognisable
// in logs and secret scanners, and a JWT is never mistaken for one.
const APIKeyPrefix = "jac_"

// ParseAPIKey validates an X-API-Key header: the prefix, then only
// base64url characters. It returns false for anything else.
func ParseAPIKey(header string) (string, bool) {
	k := strings.TrimSpace(header)
	rest, ok := strings.CutPrefix(k, APIKeyPrefix)
	if !ok || len(rest) < 16 || len(k) > 256 {
		return "", false
	}
	for i := 0; i < len(rest); i++ {
		c := rest[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return "", false
		}
	}
	return k, true
}

// ParseSignature decodes a signature header: hex of an HMAC-SHA256, with
// an optional "sha256=" prefix (GitHub's form). It returns false unless
// the value is exactly 32 bytes of hex.
func ParseSignature(header string) ([]byte, bool) {
	h := strings.TrimSpace(header)
	if len(h) > 7 && strings.EqualFold(h[:7], "sha256=") {
		h = h[7:]
	}
	if len(h) != 2*sha256.Size {
		return nil, false
	}
	sig, err := hex.DecodeString(h)
	if err != nil {
		return nil, false
	}
	return sig, true
}

// Sign returns the HMAC-SHA256 of a webhook body keyed with the API key;
// with a timestamp the signed message is "{timestamp}." + body, so an old
// signature cannot be replayed with a new timestamp.
func Sign(apiKey, timestamp string, body []byte) []byte {
	m := hmac.New(sha256.New, []byte(apiKey))
	if timestamp != "" {
		m.Write([]byte(timestamp))
		m.Write([]byte{'.'})
	}
	m.Write(body)
	return m.Sum(nil)
}

// VerifySignature compares sig with Sign in constant time.
func VerifySignature(apiKey, timestamp string, body, sig []byte) bool {
	return hmac.Equal(Sign(apiKey, timestamp, body), sig)
}
