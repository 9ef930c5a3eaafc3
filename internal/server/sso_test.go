package server

import "testing"

// TestSSOCallbackURL: the callback carries /sso once, whether SSO_HOST ends
// in /sso (jac-scale's default) or not; providers match it exactly.
func TestSSOCallbackURL(t *testing.T) {
	tests := []struct{ host, want string }{
		{"http://localhost:8000/sso", "http://localhost:8000/sso/google/login/callback"},
		{"http://localhost:8000/sso/", "http://localhost:8000/sso/google/login/callback"},
		{"http://localhost:8000", "http://localhost:8000/sso/google/login/callback"},
		{"http://localhost:8000/", "http://localhost:8000/sso/google/login/callback"},
		{"https://example.test/app", "https://example.test/app/sso/google/login/callback"},
		{"https://example.test/ssox", "https://example.test/ssox/sso/google/login/callback"},
	}
	for _, tc := range tests {
		if got := ssoCallbackURL(tc.host, "google", "login"); got != tc.want {
			t.Errorf("ssoCallbackURL(%q) = %q, want %q", tc.host, got, tc.want)
		}
	}
}
