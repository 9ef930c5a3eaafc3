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

	// jac-scale keeps login and register apart: no account is made by a
	// login, and a register of a known email does not sign it in.
	wantErr(t, "login before register", ssoFlow(t, h, "login", nil), 404, "NOT_FOUND", "user not found")
	r := ssoFlow(t, h, "register", nil)
	var u struct {
		Email  string `json:"email"`
		Token  string `json:"token"`
		RootID string `json:"root_id"`
	}
	r.Decode(t, &u)
	if r.Status != 201 || u.Email != p.email || u.Token == "" || u.RootID == "" {
		t.Fatalf("register callback: %d %s", r.Status, r.Body)
	}
	wantErr(t, "register again", ssoFlow(t, h, "register", nil), 400, "USER_EXISTS", "user already exists")
	if got := testenv.Do(t, "GET", h.URL+"/walker/list_todos", nil, u.Token); got.Status != 200 {
		t.Fatalf("SSO token refused: %d %s", got.Status, got.Body)
	}
	r = ssoFlow(t, h, "login", nil)
	var again struct {
		Email  string `json:"email"`
		Token  string `json:"token"`
		RootID string `json:"root_id"`
	}
	r.Decode(t, &again)
	if r.Status != 200 || again.RootID != u.RootID || again.Email != p.email || again.Token == "" {
		t.Fatalf("login callback: %d %s (root %s, want %s)", r.Status, r.Body, again.RootID, u.RootID)
	}

	tests := []struct {
		name   string
		tamper func(string) string
		msg    string
	}{
		{"forged state", func(s string) string { return strings.Replace(s, "state=", "state=x", 1) }, "invalid or expired OAuth state"},
		{"state of another action", func(s string) string { return strings.Replace(s, "/register/callback", "/login/callback", 1) }, "invalid or expired OAuth state"},
		{"bad code", func(s string) string { return strings.Replace(s, "code=code-", "code=nope-", 1) }, "authorization code could not be exchanged"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			wantErr(t, tc.name, ssoFlow(t, h, "register", tc.tamper), 401, "UNAUTHORIZED", tc.msg)
		})
	}
	p.verified = false
	wantErr(t, "unverified email", ssoFlow(t, h, "login", nil), 401, "UNAUTHORIZED", "email is not verified")
	p.email = ""
	wantErr(t, "no email", ssoFlow(t, h, "login", nil), 401, "UNAUTHORIZED", "did not return an email")
}

// TestSSO_NotConfigured: 501 only for a known platform without settings;
// an unknown platform or operation is the client's mistake (400).
func TestSSO_NotConfigured(t *testing.T) {
	h := startHello(t)
	for _, path := range []string{"/sso/google/login", "/sso/google/register", "/sso/google/login/callback?code=x&state=y"} {
		wantErr(t, path, testenv.Do(t, "GET", h.URL+path, nil, ""), 501, "SSO_NOT_CONFIGURED", "")
	}
	for path, msg := range map[string]string{
		"/sso/github/login":           "invalid platform",
		"/sso/github/login/callback":  "invalid platform",
		"/sso/google/logout":          "invalid operation",
		"/sso/google/signup/callback": "invalid operation",
	} {
		wantErr(t, path, testenv.Do(t, "GET", h.URL+path, nil, ""), 400, "VALIDATION_ERROR", msg)
	}
}

// TestSSO_HostEndingInSSO: with jac-scale's SSO_HOST form (…/sso) the
// provider is sent to …/sso/google/login/callback, not …/sso/sso/….
func TestSSO_HostEndingInSSO(t *testing.T) {
	p := startProvider(t)
	cfg := testenv.Config(t)
	cfg.SSOGoogleClientID, cfg.SSOGoogleClientSecret = "client-1", "secret-1"
	cfg.SSOGoogleAuthURL, cfg.SSOGoogleTokenURL, cfg.SSOGoogleUserInfoURL = p.URL+"/authorize", p.URL+"/token", p.URL+"/userinfo"
	cfg.SSOHost = "http://localhost:8000/sso"
	h := testenv.Start(t, cfg, "todo", testenv.Guest(t, "todo"))
	resp, err := noRedirect.Get(h.URL + "/sso/google/register")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, _ := url.Parse(resp.Header.Get("Location"))
	if got := loc.Query().Get("redirect_uri"); got != "http://localhost:8000/sso/google/register/callback" {
		t.Fatalf("redirect_uri %q", got)
	}
}
