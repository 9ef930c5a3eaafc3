package server

import "testing"

// TestParseCredentials reads each register and login body form to the
// same username and password.
func TestParseCredentials(t *testing.T) {
	tests := []struct {
		name, body, user, password string
	}{
		{"username", `{"username":"ann","password":"pw"}`, "ann", "pw"},
		{"email", `{"email":"ann@x.io","password":"pw"}`, "ann@x.io", "pw"},
		{"jac-scale register", `{"identities":[{"type":"username","value":"ann"}],"credential":{"type":"password","password":"pw"}}`, "ann", "pw"},
		{"jac-scale register by email", `{"identities":[{"type":"email","value":"ann@x.io"}],"credential":{"type":"password","password":"pw"}}`, "ann@x.io", "pw"},
		{"jac-scale login", `{"identity":{"type":"username","value":"ann"},"credential":{"type":"password","password":"pw"}}`, "ann", "pw"},
		{"unknown identity type skipped", `{"identities":[{"type":"phone","value":"1"},{"type":"username","value":"ann"}],"credential":{"type":"password","password":"pw"}}`, "ann", "pw"},
		{"other credential type", `{"identity":{"type":"username","value":"ann"},"credential":{"type":"otp","password":"pw"}}`, "ann", ""},
		{"flat form wins", `{"username":"bob","password":"p1","identity":{"type":"username","value":"ann"},"credential":{"type":"password","password":"pw"}}`, "bob", "p1"},
		{"empty", `{}`, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			user, password, err := parseCredentials([]byte(tc.body))
			if err != nil || user != tc.user || password != tc.password {
				t.Fatalf("got %q %q %v; want %q %q", user, password, err, tc.user, tc.password)
			}
		})
	}
	for _, bad := range []string{`[]`, `{"identities":{}}`, `{"credential":"pw"}`, `{`} {
		if _, _, err := parseCredentials([]byte(bad)); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}
