package identity

import (
	"bytes"
	"encoding/hex"
	"strings"
	"testing"
)

// The parsers see raw attacker bytes: they must never panic, and what they
// accept must keep the documented shape.

func FuzzBearerToken(f *testing.F) {
	for _, s := range []string{"", "Bearer abc", "bearer  x.y.z", "Bearer ", "BEARER\tx", "abc", "Bearer a b", strings.Repeat("a", maxHeaderToken+1)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		tok, ok := BearerToken(h)
		if !ok {
			return
		}
		if tok == "" || len(tok) > maxHeaderToken || strings.ContainsAny(tok, " \t\r\n") || !strings.Contains(h, tok) {
			t.Fatalf("BearerToken(%q) = %q", h, tok)
		}
	})
}

func FuzzParseAPIKey(f *testing.F) {
	for _, s := range []string{"", "jac_", "jac_0123456789abcdef", " jac_AAAAAAAAAAAAAAAAAAAAAAAA ", "jac_abc!defghijklmnopq", "eyJhbGciOi.x.y", "JAC_0123456789abcdef"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		k, ok := ParseAPIKey(h)
		if !ok {
			return
		}
		if !strings.HasPrefix(k, APIKeyPrefix) || len(k) > 256 || strings.TrimSpace(k) != k {
			t.Fatalf("ParseAPIKey(%q) = %q", h, k)
		}
	})
}

func FuzzParseSignature(f *testing.F) {
	good := hex.EncodeToString(Sign("jac_key", "", []byte(`{}`)))
	for _, s := range []string{"", good, "sha256=" + good, "SHA256=" + good, "sha256=", good[:63], good + "0", "zz" + good[2:]} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		sig, ok := ParseSignature(h)
		if !ok {
			return
		}
		if len(sig) != 32 || !strings.Contains(strings.ToLower(h), hex.EncodeToString(sig)) {
			t.Fatalf("ParseSignature(%q) = %x", h, sig)
		}
	})
}

func TestSignature(t *testing.T) {
	body := []byte(`{"event":"push"}`)
	sig := Sign("jac_key", "", body)
	if !VerifySignature("jac_key", "", body, sig) {
		t.Fatal("own signature refused")
	}
	for name, ok := range map[string]bool{
		"other key":   VerifySignature("jac_other", "", body, sig),
		"other body":  VerifySignature("jac_key", "", []byte(`{}`), sig),
		"timestamped": VerifySignature("jac_key", "1700000000", body, sig),
		"truncated":   VerifySignature("jac_key", "", body, sig[:31]),
	} {
		if ok {
			t.Errorf("%s: accepted", name)
		}
	}
	if !bytes.Equal(Sign("k", "1", body), Sign("k", "", append([]byte("1."), body...))) {
		t.Fatal(`timestamped message is not "{ts}." + body`)
	}
}

// TestBearerToken: the header needs the Bearer scheme (any case), as in
// jac-scale; a bare token is refused there but allowed in a request body.
func TestBearerToken(t *testing.T) {
	tests := []struct {
		header, want string
		ok           bool
	}{
		{"Bearer abc.def.ghi", "abc.def.ghi", true},
		{"bearer abc", "abc", true},
		{"BEARER   abc  ", "abc", true},
		{"abc.def.ghi", "", false},
		{"Token abc", "", false},
		{"Basic dXNlcjpwYXNz", "", false},
		{"Bearer", "", false},
		{"Bearer ", "", false},
		{"Bearer a b", "", false},
		{"Bearerabc", "", false},
		{"", "", false},
	}
	for _, tc := range tests {
		if got, ok := BearerToken(tc.header); got != tc.want || ok != tc.ok {
			t.Errorf("BearerToken(%q) = %q, %v; want %q, %v", tc.header, got, ok, tc.want, tc.ok)
		}
	}
	for _, body := range []string{"abc", "Bearer abc", "bearer abc"} {
		if got, ok := bareToken(body); !ok || got != "abc" {
			t.Errorf("bareToken(%q) = %q, %v", body, got, ok)
		}
	}
}
