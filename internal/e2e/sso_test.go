package e2e

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/walkerhost/walkerhost/internal/testenv"
)

// provider is a small OAuth2/OIDC provider on loopback: authorize redirects
// back with a code, token trades it for an access token, userinfo answers
// the email the code was issued for.
type provider struct {
	*httptest.Server
	email    string
	verified bool
}

func startProvider(t *testing.T) *provider {
	p := &provider{email: "sso.user@example.test", verified: true}
	mux := http.NewServeMux()
	mux.HandleFunc("/authorize", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if q.Get("client_id") != "client-1" || q.Get("response_type") != "code" {
			http.Error(w, "bad authorize request", 400)
			return
		}
		back, _ := url.Parse(q.Get("redirect_uri"))
		back.RawQuery = url.Values{"code": {"code-" + p.email}, "state": {q.Get("state")}}.Encode()
		http.Redirect(w, r, back.String(), http.StatusFound)
	})
	mux.HandleFunc("/token", func(w http.ResponseWriter, r *http.Request) {
		user, pass, ok := r.BasicAuth()
		if !ok {
			user, pass = r.FormValue("client_id"), r.FormValue("client_secret")
		}
		if user != "client-1" || pass != "secret-1" || !strings.HasPrefix(r.FormValue("code"), "code-") {
			http.Error(w, `{"error":"invalid_grant"}`, 400)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"access_token": "at-" + strings.TrimPrefix(r.FormValue("code"), "code-"), "token_type": "Bearer"})
	})
	mux.HandleFunc("/userinfo", func(w http.ResponseWriter, r *http.Request) {
		email, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer at-")
		if !ok {
			http.Error(w, "no token", 401)
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"email": email, "email_verified": p.verified})
	})
	p.Server = httptest.NewServer(mux)
	t.Cleanup(p.Close)
	return p
}

var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// ssoFlow runs authorize → callback and returns the host's callback answer.
func ssoFlow(t *testing.T, h *testenv.Host, action string, tamper func(string) string) *testenv.Response {
	t.Helper()
	resp, err := noRedirect.Get(h.URL + "/sso/google/" + action)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 302 {
		t.Fatalf("/sso/google/%s: status %d", action, resp.StatusCode)
	}
	resp, err = noRedirect.Get(resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	callback := resp.Header.Get("Location")
	if !strings.HasPrefix(callback, h.URL+"/sso/google/"+action+"/callback?") {
		t.Fatalf("provider redirected to %q", callback)
	}
	if tamper != nil {
		callback = tamper(callback)
	}
	return testenv.Do(t, "GET", callback, nil, "")
}

func TestSSO(t *testing.T) {
	p := startProvider(t)
	cfg := testenv.Config(t)
	cfg.SSOGoogleClientID, cfg.SSOGoogleClientSecret = "client-1", "secret-1"
	cfg.SSOGoogleAuthURL, cfg.SSOGoogleTokenURL, cfg.SSOGoogleUserInfoURL = p.URL+"/authorize", p.URL+"/token", p.URL+"/userinfo"
	h := testenv.Start(t, cfg, "todo", testenv.Guest(t, "todo"))

	r := ssoFlow(t, h, "register", nil)
	var u struct{ Username, Token, RootID string }
	r.Decode(t, &u)
	if r.Status != 201 || u.Username != p.email || u.Token == "" {
		t.Fatalf("register callback: %d %s", r.Status, r.Body)
	}
	if got := testenv.Do(t, "GET", h.URL+"/walker/list_todos", nil, u.Token); got.Status != 200 {
		t.Fatalf("SSO token refused: %d %s", got.Status, got.Body)
	}
	r = ssoFlow(t, h, "login", nil)
	var again struct{ RootID string }
	r.Decode(t, &again)
	if r.Status != 200 || again.RootID != u.RootID {
		t.Fatalf("login callback: %d %s (root %s, want %s)", r.Status, r.Body, again.RootID, u.RootID)
	}

	tests := []struct {
		name   string
		tamper func(string) string
	}{
		{"forged state", func(s string) string { return strings.Replace(s, "state=", "state=x", 1) }},
		{"state of another action", func(s string) string { return strings.Replace(s, "/register/callback", "/login/callback", 1) }},
		{"bad code", func(s string) string { return strings.Replace(s, "code=code-", "code=nope-", 1) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if r := ssoFlow(t, h, "register", tc.tamper); r.Status != 401 || r.Error.Code != "UNAUTHORIZED" {
				t.Fatalf("got %d %s", r.Status, r.Body)
			}
		})
	}
	p.verified = false
	if r := ssoFlow(t, h, "login", nil); r.Status != 401 {
		t.Fatalf("unverified email accepted: %d %s", r.Status, r.Body)
	}
}

func TestSSO_NotConfigured(t *testing.T) {
	h := startHello(t)
	for _, path := range []string{"/sso/google/login", "/sso/google/register", "/sso/github/login", "/sso/google/login/callback?code=x&state=y"} {
		r := testenv.Do(t, "GET", h.URL+path, nil, "")
		if r.Status != 501 || r.Error.Code != "SSO_NOT_CONFIGURED" {
			t.Fatalf("%s: %d %s", path, r.Status, r.Body)
		}
	}
}
