package e2e

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/walkerhost/walkerhost/internal/dbserver"
	"github.com/walkerhost/walkerhost/internal/testenv"
)

// Black-box tests of the identity limits (docs/ISOLATION.md): login
// throttling, sign-out everywhere, webhook replays, the API key cap and
// username normalisation.

// wantLimit fails unless r is LIMIT_EXCEEDED with status naming limit,
// with a Retry-After of whole seconds when retry is set.
func wantLimit(t *testing.T, what string, r *testenv.Response, status int, limit string, retry bool) {
	t.Helper()
	wantErr(t, what, r, status, "LIMIT_EXCEEDED", "")
	var d struct {
		Limit string `json:"limit"`
	}
	if json.Unmarshal(r.Error.Details, &d); d.Limit != limit {
		t.Fatalf("%s: details %s, want limit %s", what, r.Error.Details, limit)
	}
	if s, err := strconv.Atoi(r.Header.Get("Retry-After")); retry && (err != nil || s < 1) {
		t.Fatalf("%s: Retry-After %q", what, r.Header.Get("Retry-After"))
	}
}

func TestIdentity_LoginThrottle(t *testing.T) {
	cfg := testenv.Config(t)
	cfg.LoginUserFailures = 2
	cfg.LoginIPFailures = 5
	h := testenv.Start(t, cfg, "hello", testenv.Guest(t, "hello"))
	register(t, h.URL, "zed", "pw-zed")
	register(t, h.URL, "amy", "pw-amy")
	login := func(user, pass string) *testenv.Response {
		return testenv.Do(t, "POST", h.URL+"/user/login", map[string]string{"username": user, "password": pass}, "")
	}
	for range 2 {
		wantErr(t, "wrong password", login("zed", "nope"), 401, "UNAUTHORIZED", "Invalid credentials")
	}
	wantLimit(t, "right password after 2 failures", login("zed", "pw-zed"), 429, "login_user", true)
	form := url.Values{"username": {"zed"}, "password": {"pw-zed"}}
	resp, err := http.PostForm(h.URL+"/user/token", form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("OAuth2 token of a throttled user: %d, Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if r := login("amy", "pw-amy"); r.Status != 200 {
		t.Fatalf("another user: %d %s", r.Status, r.Body)
	}
	// The address has 2 failures; 3 more reach its limit of 5.
	for _, u := range []string{"nobody1", "nobody2", "nobody3"} {
		wantErr(t, "wrong password", login(u, "nope"), 401, "UNAUTHORIZED", "")
	}
	wantLimit(t, "address throttled", login("amy", "pw-amy"), 429, "login_ip", true)
}

func TestIdentity_LogoutAll(t *testing.T) {
	h := startHello(t)
	a := register(t, h.URL, "lou", "pw-lou")
	other := register(t, h.URL, "max", "pw-max")
	r := testenv.Do(t, "POST", h.URL+"/user/login", map[string]string{"username": "lou", "password": "pw-lou"}, "")
	var second account
	r.Decode(t, &second)
	wantErr(t, "no token", testenv.Do(t, "POST", h.URL+"/user/logout-all", nil, ""), 401, "UNAUTHORIZED", "")
	if r := testenv.Do(t, "POST", h.URL+"/user/logout-all", nil, a.Token); r.Status != 200 {
		t.Fatalf("logout-all: %d %s", r.Status, r.Body)
	}
	for name, tok := range map[string]string{"registration token": a.Token, "login token": second.Token} {
		wantErr(t, name, testenv.Do(t, "GET", h.URL+"/api-key/list", nil, tok), 401, "UNAUTHORIZED", "")
		wantErr(t, name+" refreshed", testenv.Do(t, "POST", h.URL+"/user/refresh-token", map[string]string{"token": tok}, ""), 401, "UNAUTHORIZED", "")
	}
	if r := testenv.Do(t, "GET", h.URL+"/api-key/list", nil, other.Token); r.Status != 200 {
		t.Fatalf("another user's token: %d %s", r.Status, r.Body)
	}
	r = testenv.Do(t, "POST", h.URL+"/user/login", map[string]string{"username": "lou", "password": "pw-lou"}, "")
	var again account
	r.Decode(t, &again)
	if r := testenv.Do(t, "GET", h.URL+"/api-key/list", nil, again.Token); r.Status != 200 {
		t.Fatalf("token of a new login: %d %s", r.Status, r.Body)
	}
}

func TestIdentity_PasswordChangeEndsTokens(t *testing.T) {
	h := startHello(t)
	a := register(t, h.URL, "ned", "old-pw")
	refreshed := testenv.Do(t, "POST", h.URL+"/user/refresh-token", map[string]string{"token": a.Token}, "")
	var rt struct {
		Token string `json:"token"`
	}
	refreshed.Decode(t, &rt)
	r := testenv.Do(t, "PUT", h.URL+"/user/password", map[string]string{"username": "ned", "current_password": "old-pw", "new_password": "new-pw"}, a.Token)
	var out account
	r.Decode(t, &out)
	if r.Status != 200 || out.Token == "" {
		t.Fatalf("change: %d %s", r.Status, r.Body)
	}
	for name, tok := range map[string]string{"token before": a.Token, "refreshed before": rt.Token} {
		wantErr(t, name, testenv.Do(t, "GET", h.URL+"/api-key/list", nil, tok), 401, "UNAUTHORIZED", "")
		wantErr(t, name+", refreshed after", testenv.Do(t, "POST", h.URL+"/user/refresh-token", map[string]string{"token": tok}, ""), 401, "UNAUTHORIZED", "")
	}
	if r := testenv.Do(t, "GET", h.URL+"/api-key/list", nil, out.Token); r.Status != 200 {
		t.Fatalf("token of the change answer: %d %s", r.Status, r.Body)
	}
}

func TestWebhook_OptionalTimestamp(t *testing.T) {
	cfg := testenv.Config(t)
	cfg.WebhookRequireTimestamp = false
	h := testenv.Start(t, cfg, "hello", testenv.Guest(t, "hello"))
	a := register(t, h.URL, "oda", "pw")
	key := createKey(t, h, a.Token, map[string]any{"name": "k"})
	body := `{"event":"legacy"}`
	wantEvent(t, "untimestamped", callHook(t, h, "on_event", hook{key: key.Key, body: body, noTs: true}), "legacy", a.RootID)
	wantErr(t, "untimestamped replay", callHook(t, h, "on_event", hook{key: key.Key, body: body, noTs: true}), 409, "CONFLICT", "already received")
	wantEvent(t, "timestamped", callHook(t, h, "on_event", hook{key: key.Key, body: body}), "legacy", a.RootID)
}

func TestAPIKeys_Cap(t *testing.T) {
	cfg := testenv.Config(t)
	cfg.APIKeyMaxPerUser = 2
	h := testenv.Start(t, cfg, "hello", testenv.Guest(t, "hello"))
	a := register(t, h.URL, "pia", "pw")
	b := register(t, h.URL, "quin", "pw")
	first := createKey(t, h, a.Token, map[string]any{"name": "1"})
	createKey(t, h, a.Token, map[string]any{"name": "2"})
	wantLimit(t, "third key", testenv.Do(t, "POST", h.URL+"/api-key/create", map[string]any{"name": "3"}, a.Token), 429, "api_keys", false)
	createKey(t, h, b.Token, map[string]any{"name": "another user's"})
	testenv.Do(t, "DELETE", h.URL+"/api-key/"+first.ID, nil, a.Token)
	createKey(t, h, a.Token, map[string]any{"name": "after a revoke"})
	if keys := listKeys(t, h, a.Token); len(keys) != 2 {
		t.Fatalf("keys: %+v", keys)
	}
}

func TestIdentity_Usernames(t *testing.T) {
	h := startHello(t)
	reg := func(name string) *testenv.Response {
		return testenv.Do(t, "POST", h.URL+"/user/register", map[string]string{"username": name, "password": "pw"}, "")
	}
	for _, bad := range []string{"ad\u202emin", "\ufeffroot", "nul\x00l", "\u2066x\u2069", "  "} {
		wantErr(t, strconvQuote(bad), reg(bad), 400, "VALIDATION_ERROR", "username")
	}
	a := register(t, h.URL, " ray ", "pw")
	if a.Username != "ray" {
		t.Fatalf("stored name %q", a.Username)
	}
	wantErr(t, "same name, other spacing", reg("ray"), 400, "USER_EXISTS", "")
	if r := testenv.Do(t, "POST", h.URL+"/user/login", map[string]string{"username": "ray\t", "password": "pw"}, ""); r.Status != 200 {
		t.Fatalf("login with spacing: %d %s", r.Status, r.Body)
	}
}

func strconvQuote(s string) string { return strconv.QuoteToASCII(s) }

// sharedOrSkip points cfg at the shared servers; where FerretDB or Redis
// is not installed it skips, except under CI.
func sharedOrSkip(t *testing.T) {
	t.Helper()
	if _, _, err := dbserver.Shared(); errors.Is(err, dbserver.ErrMissing) && os.Getenv("CI") != "true" {
		t.Skip(err)
	}
}

// TestTwoHosts_SignOutAndReplay: a sign-out on one host ends the tokens on
// the other, a webhook accepted by one is a replay on the other, and the
// failed logins of both count together.
func TestTwoHosts_SignOutAndReplay(t *testing.T) {
	sharedOrSkip(t)
	a, b := twoHosts(t, "hello", false)
	reg := register(t, a.URL, "sal", "pw-sal")
	if r := testenv.Do(t, "GET", b.URL+"/api-key/list", nil, reg.Token); r.Status != 200 {
		t.Fatalf("token on b: %d %s", r.Status, r.Body)
	}
	key := createKey(t, a, reg.Token, map[string]any{"name": "k"})
	c := hook{key: key.Key, body: `{"event":"once"}`, ts: freshTS()}
	wantEvent(t, "on a", callHook(t, a, "on_event", c), "once", reg.RootID)
	wantErr(t, "replayed on b", callHook(t, b, "on_event", c), 409, "CONFLICT", "already received")

	if r := testenv.Do(t, "POST", a.URL+"/user/logout-all", nil, reg.Token); r.Status != 200 {
		t.Fatalf("logout-all on a: %d %s", r.Status, r.Body)
	}
	wantErr(t, "token on b after logout-all on a", testenv.Do(t, "GET", b.URL+"/api-key/list", nil, reg.Token), 401, "UNAUTHORIZED", "")

	login := func(h *testenv.Host, pass string) *testenv.Response {
		return testenv.Do(t, "POST", h.URL+"/user/login", map[string]string{"username": "sal", "password": pass}, "")
	}
	for i := range 10 { // the default limit: 10 per username
		h := []*testenv.Host{a, b}[i%2]
		wantErr(t, "wrong password", login(h, "nope"), 401, "UNAUTHORIZED", "")
	}
	for _, h := range []*testenv.Host{a, b} {
		wantLimit(t, "throttled on "+strings.TrimPrefix(h.URL, "http://"), login(h, "pw-sal"), 429, "login_user", true)
	}
}
