package e2e

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/walkerhost/walkerhost/host/config"
	"github.com/walkerhost/walkerhost/internal/identity"
	"github.com/walkerhost/walkerhost/internal/testenv"
)

// Black-box tests of docs/API.md "Identity" (without SSO) and "Webhooks and API keys" on the hello guest,
// whose on_event walker is a webhook.

type account struct {
	Username string `json:"username"`
	Token    string `json:"token"`
	RootID   string `json:"root_id"`
}

func register(t *testing.T, base, user, pass string) account {
	t.Helper()
	r := testenv.Do(t, "POST", base+"/user/register", map[string]string{"username": user, "password": pass}, "")
	if r.Status != 201 {
		t.Fatalf("register %s: %d %s", user, r.Status, r.Body)
	}
	var a account
	r.Decode(t, &a)
	return a
}

// wantErr fails unless r is an error envelope with status, code and a
// message containing msg.
func wantErr(t *testing.T, what string, r *testenv.Response, status int, code, msg string) {
	t.Helper()
	if r.Status != status || r.Error == nil || r.Error.Code != code || !strings.Contains(r.Error.Message, msg) {
		t.Fatalf("%s: got %d %s; want %d %s %q", what, r.Status, r.Body, status, code, msg)
	}
}

// sign mints an HS256 token with the given claims and key.
func sign(t *testing.T, m jwt.SigningMethod, key any, c jwt.MapClaims) string {
	t.Helper()
	s, err := jwt.NewWithClaims(m, c).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestIdentity_OAuthToken(t *testing.T) {
	h := startHello(t)
	register(t, h.URL, "olga", "pw-olga")
	post := func(user, pass string) (int, map[string]any) {
		form := url.Values{"username": {user}, "password": {pass}}
		resp, err := http.PostForm(h.URL+"/user/token", form)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, m
	}
	status, m := post("olga", "pw-olga")
	tok, _ := m["access_token"].(string)
	if status != 200 || tok == "" || m["token_type"] != "bearer" || m["ok"] != nil {
		t.Fatalf("token: %d %v", status, m)
	}
	if r := testenv.Do(t, "GET", h.URL+"/api-key/list", nil, tok); r.Status != 200 {
		t.Fatalf("token from /user/token refused: %d %s", r.Status, r.Body)
	}
	for _, pass := range []string{"wrong", ""} {
		if status, m := post("olga", pass); status < 400 || m["ok"] != false {
			t.Fatalf("password %q: %d %v", pass, status, m)
		}
	}
	_, unknown := post("nobody", "wrong")
	_, wrong := post("olga", "wrong")
	if msg := wrong["error"].(map[string]any)["message"]; msg != "Invalid credentials" || unknown["error"].(map[string]any)["message"] != msg {
		t.Fatalf("messages differ: %v vs %v", wrong, unknown)
	}
}

func TestIdentity_RefreshToken(t *testing.T) {
	h := startHello(t)
	a := register(t, h.URL, "rita", "pw")
	for _, in := range []string{a.Token, "Bearer " + a.Token} {
		r := testenv.Do(t, "POST", h.URL+"/user/refresh-token", map[string]string{"token": in}, "")
		var d struct{ Token, Message string }
		r.Decode(t, &d)
		if r.Status != 200 || d.Token == "" || d.Token == a.Token || d.Message == "" {
			t.Fatalf("refresh: %d %s", r.Status, r.Body)
		}
		if r := testenv.Do(t, "GET", h.URL+"/api-key/list", nil, d.Token); r.Status != 200 {
			t.Fatalf("refreshed token refused: %d %s", r.Status, r.Body)
		}
	}
	for name, body := range map[string]any{
		"garbage":    map[string]string{"token": "nope"},
		"other key":  map[string]string{"token": sign(t, jwt.SigningMethodHS256, []byte("another-secret-0123456789"), jwt.MapClaims{"username": "rita", "iat": time.Now().Unix(), "exp": time.Now().Add(time.Hour).Unix()})},
		"not a json": "{",
	} {
		r := testenv.Do(t, "POST", h.URL+"/user/refresh-token", body, "")
		if name == "not a json" {
			wantErr(t, name, r, 400, "VALIDATION_ERROR", "")
			continue
		}
		wantErr(t, name, r, 401, "UNAUTHORIZED", "Invalid or expired token")
	}
	// A missing token is a malformed request (400), as in jac-scale.
	for name, body := range map[string]string{"empty": `{"token":""}`, "null": `{"token":null}`, "absent": `{}`} {
		wantErr(t, name, testenv.Do(t, "POST", h.URL+"/user/refresh-token", json.RawMessage(body), ""), 400, "VALIDATION_ERROR", "token is required")
	}
}

// TestIdentity_LoginMissingFields: an empty username or password is a
// malformed request (400) with jac-scale's message, not a failed sign-in.
func TestIdentity_LoginMissingFields(t *testing.T) {
	h := startHello(t)
	register(t, h.URL, "lena", "pw-lena")
	for name, body := range map[string]map[string]string{
		"empty username": {"username": "", "password": "pw-lena"},
		"empty password": {"username": "lena", "password": ""},
		"neither":        {},
	} {
		wantErr(t, name, testenv.Do(t, "POST", h.URL+"/user/login", body, ""), 400, "VALIDATION_ERROR", "Username and password required")
	}
}

func TestIdentity_ChangeUsername(t *testing.T) { testenv.EachTier(t, testIdentityChangeUsername) }

func testIdentityChangeUsername(t *testing.T, cfg config.Config) {
	h := testenv.Start(t, cfg, "hello", testenv.Guest(t, "hello"))
	a := register(t, h.URL, "uma", "pw-uma")
	b := register(t, h.URL, "vic", "pw-vic")
	put := func(token, cur, next string) *testenv.Response {
		return testenv.Do(t, "PUT", h.URL+"/user/username", map[string]string{"current_username": cur, "new_username": next}, token)
	}
	wantErr(t, "no token", put("", "uma", "uma2"), 401, "UNAUTHORIZED", "")
	wantErr(t, "someone else", put(b.Token, "uma", "stolen"), 403, "FORBIDDEN", "")
	wantErr(t, "name taken", put(a.Token, "uma", "vic"), 400, "USER_EXISTS", "")
	wantErr(t, "empty name", put(a.Token, "uma", " "), 400, "VALIDATION_ERROR", "")

	r := put(a.Token, "uma", "uma2")
	var got account
	r.Decode(t, &got)
	if r.Status != 200 || got.Username != "uma2" || got.RootID != a.RootID || got.Token == "" {
		t.Fatalf("rename: %d %s (root was %s)", r.Status, r.Body, a.RootID)
	}
	// The old name's token is dead everywhere; the new one works.
	wantErr(t, "old token", testenv.Do(t, "GET", h.URL+"/api-key/list", nil, a.Token), 401, "UNAUTHORIZED", "")
	wantErr(t, "old token refresh", testenv.Do(t, "POST", h.URL+"/user/refresh-token", map[string]string{"token": a.Token}, ""), 401, "UNAUTHORIZED", "")
	if r := testenv.Do(t, "GET", h.URL+"/api-key/list", nil, got.Token); r.Status != 200 {
		t.Fatalf("new token: %d %s", r.Status, r.Body)
	}
	wantErr(t, "old name login", testenv.Do(t, "POST", h.URL+"/user/login", map[string]string{"username": "uma", "password": "pw-uma"}, ""), 401, "UNAUTHORIZED", "Invalid credentials")
	r = testenv.Do(t, "POST", h.URL+"/user/login", map[string]string{"username": "uma2", "password": "pw-uma"}, "")
	var login account
	r.Decode(t, &login)
	if r.Status != 200 || login.RootID != a.RootID {
		t.Fatalf("login with new name: %d %s", r.Status, r.Body)
	}
	// Someone registers the freed name: the old token must not open their
	// account, and the walker it would run must not see their root.
	register(t, h.URL, "uma", "pw-new-uma")
	wantErr(t, "old token after the name is taken again", testenv.Do(t, "GET", h.URL+"/api-key/list", nil, a.Token), 401, "UNAUTHORIZED", "")
}

func TestIdentity_ChangePassword(t *testing.T) {
	h := startHello(t)
	a := register(t, h.URL, "wes", "old-pw")
	b := register(t, h.URL, "xia", "pw-xia")
	put := func(token, user, cur, next string) *testenv.Response {
		return testenv.Do(t, "PUT", h.URL+"/user/password", map[string]string{"username": user, "current_password": cur, "new_password": next}, token)
	}
	wantErr(t, "no token", put("", "wes", "old-pw", "new-pw"), 401, "UNAUTHORIZED", "")
	wantErr(t, "someone else", put(b.Token, "wes", "old-pw", "new-pw"), 403, "FORBIDDEN", "")
	wantErr(t, "wrong current", put(a.Token, "wes", "nope", "new-pw"), 400, "VALIDATION_ERROR", "Invalid current password")
	wantErr(t, "empty new", put(a.Token, "wes", "old-pw", ""), 400, "VALIDATION_ERROR", "")
	if r := put(a.Token, "wes", "old-pw", "new-pw"); r.Status != 200 {
		t.Fatalf("change: %d %s", r.Status, r.Body)
	}
	login := func(pass string) int {
		return testenv.Do(t, "POST", h.URL+"/user/login", map[string]string{"username": "wes", "password": pass}, "").Status
	}
	if login("old-pw") != 401 || login("new-pw") != 200 {
		t.Fatal("password not changed")
	}
}

// TestIdentity_TokenAttacks sends forged and misplaced credentials to a
// protected endpoint.
func TestIdentity_TokenAttacks(t *testing.T) {
	cfg := testenv.Config(t)
	h := testenv.Start(t, cfg, "hello", testenv.Guest(t, "hello"))
	a := register(t, h.URL, "yan", "pw")
	key := createKey(t, h, a.Token, map[string]any{"name": "k"})
	now := time.Now()
	valid := jwt.MapClaims{"username": "yan", "root": a.RootID, "app": "default", "iat": now.Unix(), "exp": now.Add(time.Hour).Unix()}
	if r := testenv.Do(t, "GET", h.URL+"/api-key/list", nil, sign(t, jwt.SigningMethodHS256, []byte(cfg.JWTSecret), valid)); r.Status != 200 {
		t.Fatalf("control token refused: %d %s", r.Status, r.Body)
	}
	tests := map[string]string{
		"alg none":        sign(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, valid),
		"other secret":    sign(t, jwt.SigningMethodHS256, []byte("not-the-host-secret-0123456789"), valid),
		"other algorithm": sign(t, jwt.SigningMethodHS512, []byte(cfg.JWTSecret), valid),
		"expired":         sign(t, jwt.SigningMethodHS256, []byte(cfg.JWTSecret), jwt.MapClaims{"username": "yan", "iat": now.Add(-2 * time.Hour).Unix(), "exp": now.Add(-time.Hour).Unix()}),
		"unknown user":    sign(t, jwt.SigningMethodHS256, []byte(cfg.JWTSecret), jwt.MapClaims{"username": "ghost", "root": a.RootID, "iat": now.Unix(), "exp": now.Add(time.Hour).Unix()}),
		"no root claim":   sign(t, jwt.SigningMethodHS256, []byte(cfg.JWTSecret), jwt.MapClaims{"username": "yan", "iat": now.Unix(), "exp": now.Add(time.Hour).Unix()}),
		"other root":      sign(t, jwt.SigningMethodHS256, []byte(cfg.JWTSecret), jwt.MapClaims{"username": "yan", "root": strings.Repeat("0", 32), "iat": now.Unix(), "exp": now.Add(time.Hour).Unix()}),
		"api key":         key.Key,
		"other app":       sign(t, jwt.SigningMethodHS256, []byte(cfg.JWTSecret), jwt.MapClaims{"username": "yan", "root": a.RootID, "app": "other", "iat": now.Unix(), "exp": now.Add(time.Hour).Unix()}),
		"no app claim":    sign(t, jwt.SigningMethodHS256, []byte(cfg.JWTSecret), jwt.MapClaims{"username": "yan", "root": a.RootID, "iat": now.Unix(), "exp": now.Add(time.Hour).Unix()}),
	}
	for name, tok := range tests {
		t.Run(name, func(t *testing.T) {
			wantErr(t, name, testenv.Do(t, "GET", h.URL+"/api-key/list", nil, tok), 401, "UNAUTHORIZED", "")
		})
	}
	// The header needs the Bearer scheme, as in jac-scale: a valid token
	// sent bare, or under another scheme, is refused.
	for name, header := range map[string]string{"no scheme": a.Token, "other scheme": "Token " + a.Token, "lower case scheme": "bearer " + a.Token} {
		t.Run(name, func(t *testing.T) {
			req, _ := http.NewRequest("GET", h.URL+"/api-key/list", nil)
			req.Header.Set("Authorization", header)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			want := 401
			if name == "lower case scheme" { // the scheme's name is case-insensitive
				want = 200
			}
			if resp.StatusCode != want {
				t.Fatalf("Authorization %q: %d, want %d", header[:min(len(header), 12)], resp.StatusCode, want)
			}
		})
	}
}

type apiKey struct {
	Key     string  `json:"api_key"`
	ID      string  `json:"api_key_id"`
	Name    string  `json:"name"`
	Created string  `json:"created_at"`
	Expires *string `json:"expires_at"`
	Active  *bool   `json:"active"`
}

func createKey(t *testing.T, h *testenv.Host, token string, body any) apiKey {
	t.Helper()
	r := testenv.Do(t, "POST", h.URL+"/api-key/create", body, token)
	if r.Status != 201 {
		t.Fatalf("create key: %d %s", r.Status, r.Body)
	}
	var k apiKey
	r.Decode(t, &k)
	return k
}

func listKeys(t *testing.T, h *testenv.Host, token string) []apiKey {
	t.Helper()
	r := testenv.Do(t, "GET", h.URL+"/api-key/list", nil, token)
	if r.Status != 200 {
		t.Fatalf("list keys: %d %s", r.Status, r.Body)
	}
	var d struct {
		Keys []apiKey `json:"api_keys"`
	}
	r.Decode(t, &d)
	return d.Keys
}

func TestAPIKeys(t *testing.T) { testenv.EachTier(t, testAPIKeys) }

func testAPIKeys(t *testing.T, cfg config.Config) {
	h := testenv.Start(t, cfg, "hello", testenv.Guest(t, "hello"))
	a := register(t, h.URL, "zed", "pw")
	b := register(t, h.URL, "amy", "pw")

	def := createKey(t, h, a.Token, map[string]any{"name": "default"})
	created, _ := time.Parse(time.RFC3339, def.Created)
	if !strings.HasPrefix(def.Key, "jac_") || len(def.Key) < 40 || def.ID == "" || def.Name != "default" || def.Expires == nil {
		t.Fatalf("created %+v", def)
	}
	if exp, _ := time.Parse(time.RFC3339, *def.Expires); exp.Sub(created) != 365*24*time.Hour {
		t.Fatalf("default expiry %s after %s, want 365 days", *def.Expires, def.Created)
	}
	perm := createKey(t, h, a.Token, map[string]any{"name": "permanent", "expiry_days": 0})
	if perm.Expires != nil || perm.Key == def.Key {
		t.Fatalf("permanent key %+v", perm)
	}
	week := createKey(t, h, a.Token, map[string]any{"name": "week", "expiry_days": 7})
	if exp, _ := time.Parse(time.RFC3339, *week.Expires); exp.Sub(created) < 7*24*time.Hour-time.Minute || exp.Sub(created) > 7*24*time.Hour+time.Minute {
		t.Fatalf("7-day key expires %s", *week.Expires)
	}

	keys := listKeys(t, h, a.Token)
	if len(keys) != 3 || keys[0].ID != def.ID || keys[0].Key != "" || keys[0].Active == nil || !*keys[0].Active {
		t.Fatalf("list %+v", keys)
	}
	if raw := testenv.Do(t, "GET", h.URL+"/api-key/list", nil, a.Token).Body; bytes.Contains(raw, []byte(def.Key)) {
		t.Fatal("list shows a key")
	}
	if len(listKeys(t, h, b.Token)) != 0 {
		t.Fatal("amy sees zed's keys")
	}

	wantErr(t, "no token", testenv.Do(t, "POST", h.URL+"/api-key/create", map[string]any{"name": "x"}, ""), 401, "UNAUTHORIZED", "")
	wantErr(t, "no name", testenv.Do(t, "POST", h.URL+"/api-key/create", map[string]any{}, a.Token), 400, "VALIDATION_ERROR", "name")
	wantErr(t, "negative expiry", testenv.Do(t, "POST", h.URL+"/api-key/create", map[string]any{"name": "x", "expiry_days": -1}, a.Token), 400, "VALIDATION_ERROR", "expiry_days")
	wantErr(t, "list without token", testenv.Do(t, "GET", h.URL+"/api-key/list", nil, ""), 401, "UNAUTHORIZED", "")
	wantErr(t, "delete someone else's", testenv.Do(t, "DELETE", h.URL+"/api-key/"+def.ID, nil, b.Token), 403, "FORBIDDEN", "")
	wantErr(t, "delete unknown", testenv.Do(t, "DELETE", h.URL+"/api-key/0000", nil, a.Token), 404, "NOT_FOUND", "")
	wantErr(t, "delete without token", testenv.Do(t, "DELETE", h.URL+"/api-key/"+def.ID, nil, ""), 401, "UNAUTHORIZED", "")

	if r := testenv.Do(t, "DELETE", h.URL+"/api-key/"+def.ID, nil, a.Token); r.Status != 200 {
		t.Fatalf("delete: %d %s", r.Status, r.Body)
	}
	keys = listKeys(t, h, a.Token)
	if len(keys) != 3 || *keys[0].Active || !*keys[1].Active {
		t.Fatalf("after delete %+v", keys)
	}
}

// hook is one /webhook/NAME call. Without ts it is sent with a fresh one
// (unless noTs), different on every call so that a repeated body is not a
// replay.
type hook struct {
	key, sig, ts string
	body         string
	noSig, noTs  bool
}

// hookCalls makes the timestamps of hook calls differ.
var hookCalls atomic.Int64

// freshTS returns a timestamp within the replay window, different from
// the last 100 it returned.
func freshTS() string {
	return strconv.FormatInt(time.Now().Unix()-hookCalls.Add(1)%100, 10)
}

func callHook(t *testing.T, h *testenv.Host, name string, c hook) *testenv.Response {
	t.Helper()
	req, _ := http.NewRequest("POST", h.URL+"/webhook/"+name, strings.NewReader(c.body))
	req.Header.Set("Content-Type", "application/json")
	if c.key != "" {
		req.Header.Set("X-API-Key", c.key)
	}
	if c.ts == "" && !c.noTs {
		c.ts = freshTS()
	}
	if c.ts != "" {
		req.Header.Set("X-Webhook-Timestamp", c.ts)
	}
	if !c.noSig {
		sig := c.sig
		if sig == "" {
			sig = hex.EncodeToString(identity.Sign(c.key, c.ts, []byte(c.body)))
		}
		req.Header.Set("X-Webhook-Signature", sig)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	r := &testenv.Response{Status: resp.StatusCode, Header: resp.Header}
	r.Body, _ = io.ReadAll(resp.Body)
	if err := json.Unmarshal(r.Body, r); err != nil {
		t.Fatalf("webhook: not an envelope: %s", r.Body)
	}
	return r
}

func wantEvent(t *testing.T, what string, r *testenv.Response, event, root string) {
	t.Helper()
	p := r.Walker(t)
	assertJSON(t, what, p.Reports, `[{"event":"`+event+`","root":"`+root+`"}]`)
}

func TestWebhook(t *testing.T) {
	h := startHello(t)
	a := register(t, h.URL, "hank", "pw")
	key := createKey(t, h, a.Token, map[string]any{"name": "ci"})
	body := `{"event":"push"}`
	now := strconv.FormatInt(time.Now().Unix(), 10)
	good := hex.EncodeToString(identity.Sign(key.Key, now, []byte(body)))
	bare := hex.EncodeToString(identity.Sign(key.Key, "", []byte(body)))

	wantEvent(t, "signed", callHook(t, h, "on_event", hook{key: key.Key, body: body}), "push", a.RootID)
	wantEvent(t, "sha256= prefix", callHook(t, h, "on_event", hook{key: key.Key, body: body, ts: now, sig: "sha256=" + good}), "push", a.RootID)
	// The same signed request again, with or without the prefix, is a replay.
	for _, sig := range []string{good, "sha256=" + good} {
		wantErr(t, "replay", callHook(t, h, "on_event", hook{key: key.Key, body: body, ts: now, sig: sig}), 409, "CONFLICT", "already received")
	}

	old := strconv.FormatInt(time.Now().Add(-10*time.Minute).Unix(), 10)
	future := strconv.FormatInt(time.Now().Add(10*time.Minute).Unix(), 10)
	jwtTok := a.Token
	tests := []struct {
		name string
		c    hook
		msg  string
	}{
		{"missing key", hook{body: body, ts: now, sig: good}, "X-API-Key"},
		{"unknown key", hook{key: "jac_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", body: body}, "Invalid or expired API key"},
		{"malformed key", hook{key: "not a key", body: body}, "Invalid or expired API key"},
		{"JWT as API key", hook{key: jwtTok, body: body}, "Invalid or expired API key"},
		{"missing signature", hook{key: key.Key, body: body, noSig: true}, "X-Webhook-Signature"},
		{"bad signature", hook{key: key.Key, body: body, sig: strings.Repeat("0", 64)}, "Invalid webhook signature"},
		{"malformed signature", hook{key: key.Key, body: body, sig: "xyz"}, "Invalid webhook signature"},
		{"signature of another body", hook{key: key.Key, body: `{"event":"evil"}`, ts: now, sig: good}, "Invalid webhook signature"},
		{"untimestamped signature with a timestamp", hook{key: key.Key, body: body, ts: now, sig: bare}, "Invalid webhook signature"},
		{"signature of another timestamp", hook{key: key.Key, body: body, ts: freshTS(), sig: good}, "Invalid webhook signature"},
		{"no timestamp", hook{key: key.Key, body: body, noTs: true}, "X-Webhook-Timestamp header is required"},
		{"untimestamped signature without a timestamp", hook{key: key.Key, body: body, noTs: true, sig: bare}, "X-Webhook-Timestamp header is required"},
		{"replay outside the window", hook{key: key.Key, body: body, ts: old}, "replay window"},
		{"timestamp in the future", hook{key: key.Key, body: body, ts: future}, "replay window"},
		{"timestamp not a number", hook{key: key.Key, body: body, ts: "yesterday"}, "replay window"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			wantErr(t, tc.name, callHook(t, h, "on_event", tc.c), 401, "UNAUTHORIZED", tc.msg)
		})
	}

	// A Bearer token does not open a webhook, and the walker route points
	// to the webhook route.
	r := testenv.Do(t, "POST", h.URL+"/webhook/on_event", body, a.Token)
	wantErr(t, "bearer on webhook", r, 401, "UNAUTHORIZED", "X-API-Key")
	wantErr(t, "walker route", testenv.Do(t, "POST", h.URL+"/walker/on_event", body, a.Token), 404, "NOT_FOUND", "/webhook/on_event")
	wantErr(t, "missing field", callHook(t, h, "on_event", hook{key: key.Key, body: `{}`}), 422, "VALIDATION_ERROR", "")
	wantErr(t, "not a webhook", callHook(t, h, "echo", hook{key: key.Key, body: body}), 404, "NOT_FOUND", "")

	// Revoked keys are refused, and so are expired ones (not mintable over
	// HTTP; see internal/identity).
	testenv.Do(t, "DELETE", h.URL+"/api-key/"+key.ID, nil, a.Token)
	wantErr(t, "revoked", callHook(t, h, "on_event", hook{key: key.Key, body: body}), 401, "UNAUTHORIZED", "Invalid or expired API key")
}

func TestWebhook_RevokedStaysRevokedAfterRestart(t *testing.T) {
	testenv.EachTier(t, testWebhookRevokedStaysRevokedAfterRestart)
}

func testWebhookRevokedStaysRevokedAfterRestart(t *testing.T, cfg config.Config) {
	wasm := testenv.Guest(t, "hello")
	h := testenv.Start(t, cfg, "hello", wasm)
	a := register(t, h.URL, "ivy", "pw")
	revoked := createKey(t, h, a.Token, map[string]any{"name": "old"})
	kept := createKey(t, h, a.Token, map[string]any{"name": "kept", "expiry_days": 0})
	if r := testenv.Do(t, "DELETE", h.URL+"/api-key/"+revoked.ID, nil, a.Token); r.Status != 200 {
		t.Fatalf("delete: %d %s", r.Status, r.Body)
	}
	h.Stop()

	h2 := testenv.Start(t, cfg, "hello", wasm)
	body := `{"event":"after"}`
	wantErr(t, "revoked after restart", callHook(t, h2, "on_event", hook{key: revoked.Key, body: body}), 401, "UNAUTHORIZED", "Invalid or expired API key")
	wantEvent(t, "kept after restart", callHook(t, h2, "on_event", hook{key: kept.Key, body: body}), "after", a.RootID)
}

func TestWebhook_SignatureOff(t *testing.T) {
	cfg := testenv.Config(t)
	cfg.WebhookVerifySignature = false
	h := testenv.Start(t, cfg, "hello", testenv.Guest(t, "hello"))
	a := register(t, h.URL, "jo", "pw")
	key := createKey(t, h, a.Token, map[string]any{"name": "k"})
	wantEvent(t, "unsigned", callHook(t, h, "on_event", hook{key: key.Key, body: `{"event":"e"}`, noSig: true}), "e", a.RootID)
	wantErr(t, "key still needed", callHook(t, h, "on_event", hook{body: `{"event":"e"}`, noSig: true}), 401, "UNAUTHORIZED", "X-API-Key")
}

func TestWebhook_CustomHeaderAndDefaultExpiry(t *testing.T) {
	cfg := testenv.Config(t)
	cfg.WebhookSignatureHeader = "X-Hub-Signature-256"
	cfg.APIKeyExpiryDays = 0
	h := testenv.Start(t, cfg, "hello", testenv.Guest(t, "hello"))
	a := register(t, h.URL, "kim", "pw")
	key := createKey(t, h, a.Token, map[string]any{"name": "k"})
	if key.Expires != nil {
		t.Fatalf("api_key_expiry_days = 0 gave expires_at %s", *key.Expires)
	}
	body := `{"event":"gh"}`
	req, _ := http.NewRequest("POST", h.URL+"/webhook/on_event", strings.NewReader(body))
	req.Header.Set("X-API-Key", key.Key)
	ts := freshTS()
	req.Header.Set("X-Webhook-Timestamp", ts)
	req.Header.Set("X-Hub-Signature-256", "sha256="+hex.EncodeToString(identity.Sign(key.Key, ts, []byte(body))))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("custom header: %d", resp.StatusCode)
	}
	wantErr(t, "default header ignored", callHook(t, h, "on_event", hook{key: key.Key, body: body}), 401, "UNAUTHORIZED", "X-Hub-Signature-256")
}

// TestIdentity_JacScaleBodies: clients written for jac-scale 0.2.x register
// and log in with its identities/credential bodies; the flat form keeps
// working for the same account.
func TestIdentity_JacScaleBodies(t *testing.T) {
	h := startHello(t)
	reg := json.RawMessage(`{"identities":[{"type":"username","value":"jo"}],"credential":{"type":"password","password":"pw-jo"}}`)
	r := testenv.Do(t, "POST", h.URL+"/user/register", reg, "")
	var a account
	if r.Status != 201 {
		t.Fatalf("register: %d %s", r.Status, r.Body)
	}
	r.Decode(t, &a)
	if a.Username != "jo" || a.Token == "" {
		t.Fatalf("register: %s", r.Body)
	}
	for name, body := range map[string]any{
		"jac-scale": json.RawMessage(`{"identity":{"type":"username","value":"jo"},"credential":{"type":"password","password":"pw-jo"}}`),
		"flat":      map[string]string{"username": "jo", "password": "pw-jo"},
	} {
		r := testenv.Do(t, "POST", h.URL+"/user/login", body, "")
		var d struct{ Username, Token string }
		r.Decode(t, &d)
		if r.Status != 200 || d.Username != "jo" || d.Token == "" {
			t.Fatalf("%s login: %d %s", name, r.Status, r.Body)
		}
	}
	bad := json.RawMessage(`{"identity":{"type":"username","value":"jo"},"credential":{"type":"password","password":"wrong"}}`)
	wantErr(t, "wrong password", testenv.Do(t, "POST", h.URL+"/user/login", bad, ""), 401, "UNAUTHORIZED", "Invalid credentials")
}
