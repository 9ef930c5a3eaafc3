package identity

import (
	"errors"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

func TestNormalizeUsername(t *testing.T) {
	tests := []struct {
		name, in, want string
		bad            bool
	}{
		{"plain", "alice", "alice", false},
		{"trimmed", " alice \t", "alice", false},
		{"NFC", "jose\u0301", "jos\u00e9", false},
		{"precomposed kept", "jos\u00e9", "jos\u00e9", false},
		{"inner space kept", "ann lee", "ann lee", false},
		{"email", "a@example.com", "a@example.com", false},
		{"NUL", "ali\x00ce", "", true},
		{"DEL", "ali\x7fce", "", true},
		{"newline inside", "ali\nce", "", true},
		{"RLO", "alice\u202egnp.exe", "", true},
		{"LRE", "\u202aalice", "", true},
		{"LRM", "alice\u200e", "", true},
		{"RLM", "alice\u200f", "", true},
		{"isolate", "\u2066alice\u2069", "", true},
		{"BOM", "\ufeffalice", "", true},
		{"zero width space", "ali\u200bce", "", true},
		{"soft hyphen", "ali\u00adce", "", true},
		{"line separator", "ali\u2028ce", "", true},
		{"empty", "", "", true},
		{"only spaces", "   ", "", true},
		{"bad UTF-8", "ali\xffce", "", true},
		{"too long", strings.Repeat("a", maxUsername+1), "", true},
		{"longest", strings.Repeat("é", maxUsername), strings.Repeat("é", maxUsername), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := NormalizeUsername(tc.in)
			if tc.bad {
				if !errors.Is(err, ErrValidation) {
					t.Fatalf("NormalizeUsername(%q) = %q, %v; want ErrValidation", tc.in, got, err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("NormalizeUsername(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
			}
		})
	}
}

// FuzzNormalizeUsername: an accepted name is NFC, trimmed, free of
// control and format characters, and normalises to itself.
func FuzzNormalizeUsername(f *testing.F) {
	for _, s := range []string{"alice", " alice ", "jose\u0301", "\u202ex", "\ufeff", "a\x00b", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, err := NormalizeUsername(in)
		if err != nil {
			if !errors.Is(err, ErrValidation) {
				t.Fatalf("error %v is not ErrValidation", err)
			}
			return
		}
		if !norm.NFC.IsNormalString(got) || strings.TrimSpace(got) != got || got == "" {
			t.Fatalf("%q -> %q: not NFC, trimmed and non-empty", in, got)
		}
		for _, r := range got {
			if unicode.In(r, unicode.Cc, unicode.Cf, unicode.Zl, unicode.Zp) {
				t.Fatalf("%q -> %q keeps U+%04X", in, got, r)
			}
		}
		if again, err := NormalizeUsername(got); err != nil || again != got {
			t.Fatalf("not idempotent: %q -> %q -> %q, %v", in, got, again, err)
		}
	})
}

// TestService_Usernames: registration and login normalise alike, and one
// account answers to every spelling of its name.
func TestService_Usernames(t *testing.T) {
	s := newService(t)
	if _, err := s.Register("app", " jose\u0301 ", "pw"); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"jos\u00e9", "jose\u0301", "  jos\u00e9"} {
		if u, err := s.Login(ctx, "app", "", name, "pw"); err != nil || u.Username != "jos\u00e9" {
			t.Fatalf("Login(%q) = %+v, %v", name, u, err)
		}
	}
	if _, err := s.Register("app", "jos\u00e9", "pw2"); !errors.Is(err, ErrUserExists) {
		t.Fatalf("second spelling registered: %v", err)
	}
	for _, name := range []string{"ev\u202eil", "\ufeffbob", "b\x00ob"} {
		if _, err := s.Register("app", name, "pw"); !errors.Is(err, ErrValidation) {
			t.Fatalf("Register(%q) = %v", name, err)
		}
	}
}
