package identity

import (
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

var testSecret = []byte("0123456789abcdef0123456789abcdef")

func TestTokens_RoundTrip(t *testing.T) {
	tok, _ := NewTokens(testSecret, "HS256", time.Hour)
	a, err := tok.Issue("app", &User{Username: "alice"})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := tok.Issue("app", &User{Username: "alice"})
	if a == b {
		t.Fatal("two tokens minted in the same second are identical (jti missing)")
	}
	for _, in := range []string{a, "Bearer " + a, "bearer  " + a} {
		if u, err := tok.Verify(in); err != nil || u != "alice" {
			t.Fatalf("Verify(%q) = %q, %v", in[:10], u, err)
		}
	}
}

func TestTokens_Errors(t *testing.T) {
	tok, _ := NewTokens(testSecret, "HS256", time.Hour)
	sign := func(m jwt.SigningMethod, key any, c jwt.MapClaims) string {
		s, err := jwt.NewWithClaims(m, c).SignedString(key)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	now := time.Now()
	valid := jwt.MapClaims{"username": "alice", "iat": now.Unix(), "exp": now.Add(time.Hour).Unix()}
	good := sign(jwt.SigningMethodHS256, testSecret, valid)
	tests := []struct {
		name, token string
	}{
		{"empty", ""},
		{"garbage", "not.a.token"},
		{"alg none", sign(jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, valid)},
		{"other HMAC alg", sign(jwt.SigningMethodHS512, testSecret, valid)},
		{"wrong secret", sign(jwt.SigningMethodHS256, []byte("another-secret-another-secret!!"), valid)},
		{"expired", sign(jwt.SigningMethodHS256, testSecret, jwt.MapClaims{"username": "alice", "iat": now.Add(-2 * time.Hour).Unix(), "exp": now.Add(-time.Hour).Unix()})},
		{"no exp", sign(jwt.SigningMethodHS256, testSecret, jwt.MapClaims{"username": "alice"})},
		{"no username", sign(jwt.SigningMethodHS256, testSecret, jwt.MapClaims{"exp": now.Add(time.Hour).Unix()})},
		{"tampered", good[:len(good)-2] + "xx"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := tok.Verify(tc.token); !errors.Is(err, ErrInvalidToken) {
				t.Fatalf("got %v, want ErrInvalidToken", err)
			}
		})
	}
	if _, err := NewTokens(testSecret, "RS256", time.Hour); err == nil {
		t.Fatal("RS256 accepted")
	}
}

func TestLoadSecret(t *testing.T) {
	dir := t.TempDir()
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	first, err := LoadSecret(dir, "", log)
	if err != nil || len(first) < 32 {
		t.Fatalf("generated %q, %v", first, err)
	}
	again, _ := LoadSecret(dir, "", log)
	if string(again) != string(first) {
		t.Fatal("secret not kept across loads")
	}
	if info, _ := os.Stat(filepath.Join(dir, secretFile)); info.Mode().Perm() != 0o600 {
		t.Fatalf("secret file mode %v", info.Mode())
	}
	if got, _ := LoadSecret(dir, "configured-secret-value", log); string(got) != "configured-secret-value" {
		t.Fatal("configured secret ignored")
	}
}
