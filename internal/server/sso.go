package server

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/valyala/fasthttp"
	"github.com/walkerhost/walkerhost/internal/web"
	"golang.org/x/oauth2"

	"github.com/walkerhost/walkerhost/internal/identity"
)

// CodeSSONotConfigured answers SSO routes of a provider that is not set up.
const CodeSSONotConfigured = "SSO_NOT_CONFIGURED"

// SSOProvider is one OAuth2/OIDC provider: the client, its endpoints and
// where to read the user's verified email.
type SSOProvider struct {
	ClientID, ClientSecret string
	AuthURL, TokenURL      string
	UserInfoURL            string
}

// SSOOptions configure /sso/{platform}/...: Host is this host's public base
// URL, used in the callback addresses the provider redirects to.
type SSOOptions struct {
	Host      string
	Providers map[string]SSOProvider // by platform name, e.g. "google"
}

// sso serves the SSO routes. Its state parameter is signed with a key made
// at start, so a flow must end on the process that began it.
type sso struct {
	opts SSOOptions
	key  []byte
}

func newSSO(o SSOOptions) *sso {
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	return &sso{opts: o, key: key}
}

const stateTTL = 10 * time.Minute

// ssoConfig returns the OAuth2 client of a platform for an operation
// (login or register): 400 for a platform or operation the host does not
// know, 501 for a known platform that is not configured.
func (s *Server) ssoConfig(ctx *fasthttp.RequestCtx) (*oauth2.Config, SSOProvider, string, error) {
	platform, _ := ctx.UserValue("platform").(string)
	action, _ := ctx.UserValue("action").(string)
	p, known := s.sso.opts.Providers[platform]
	switch {
	case !known:
		return nil, p, "", invalid("invalid platform")
	case action != "login" && action != "register":
		return nil, p, "", invalid("invalid operation")
	case p.ClientID == "" || s.sso.opts.Host == "":
		return nil, p, "", web.NewError(fasthttp.StatusNotImplemented, CodeSSONotConfigured,
			fmt.Sprintf("SSO for %q is not configured (SSO_HOST, SSO_%s_CLIENT_ID, SSO_%s_CLIENT_SECRET)",
				platform, strings.ToUpper(platform), strings.ToUpper(platform)), nil)
	}
	return &oauth2.Config{
		ClientID: p.ClientID, ClientSecret: p.ClientSecret,
		Endpoint:    oauth2.Endpoint{AuthURL: p.AuthURL, TokenURL: p.TokenURL},
		RedirectURL: ssoCallbackURL(s.sso.opts.Host, platform, action),
		Scopes:      []string{"openid", "email"},
	}, p, action, nil
}

// ssoCallbackURL is {host}/sso/{platform}/{operation}/callback. SSO_HOST
// may end in /sso (jac-scale's default, http://localhost:8000/sso) or not;
// either way the path carries /sso once, as the routes do.
func ssoCallbackURL(host, platform, action string) string {
	base := strings.TrimRight(host, "/")
	if !strings.HasSuffix(base, "/sso") {
		base += "/sso"
	}
	return base + "/" + platform + "/" + action + "/callback"
}

// ssoStart redirects to the provider with a signed, expiring state.
func (s *Server) ssoStart(ctx *fasthttp.RequestCtx) error {
	conf, _, action, err := s.ssoConfig(ctx)
	if err != nil {
		return err
	}
	ctx.Redirect(conf.AuthCodeURL(s.sso.state(action)), fasthttp.StatusFound)
	return nil
}

// ssoCallback checks the state, exchanges the code, reads the verified email
// and, as jac-scale does, logs in only a registered user (200) and
// registers only a new one (201).
func (s *Server) ssoCallback(ctx *fasthttp.RequestCtx) error {
	conf, p, action, err := s.ssoConfig(ctx)
	if err != nil {
		return err
	}
	args := ctx.QueryArgs()
	if !s.sso.validState(string(args.Peek("state")), action) {
		return web.NewError(fasthttp.StatusUnauthorized, CodeUnauthorized, "invalid or expired OAuth state", nil)
	}
	email, err := userEmail(conf, p, string(args.Peek("code")))
	if err != nil {
		s.log.Info("SSO sign-in failed", "request_id", web.RequestID(ctx), "err", err)
		msg := "SSO sign-in failed: the provider did not confirm the account"
		var se ssoError
		if errors.As(err, &se) {
			msg = string(se)
		}
		return web.NewError(fasthttp.StatusUnauthorized, CodeUnauthorized, msg, nil)
	}
	u, created, err := s.ident.External(s.app, email, action == "register")
	switch {
	case action == "login" && errors.Is(err, identity.ErrInvalidCredentials):
		return web.NewError(fasthttp.StatusNotFound, CodeNotFound, "user not found", nil)
	case err != nil:
		return err
	case action == "register" && !created:
		return identity.ErrUserExists
	}
	token, err := s.ident.Issue(s.app, u)
	if err != nil {
		return internalErr{err}
	}
	status := fasthttp.StatusOK
	if created {
		status = fasthttp.StatusCreated
	}
	return web.RespondValue(ctx, status, map[string]any{"email": u.Username, "username": u.Username, "token": token, "root_id": u.Root.String()})
}

// ssoError is a failure of the provider's side told to the client as is.
type ssoError string

func (e ssoError) Error() string { return string(e) }

const (
	errSSOExchange   = ssoError("SSO sign-in failed: the authorization code could not be exchanged with the provider")
	errSSONoEmail    = ssoError("SSO sign-in failed: the provider did not return an email")
	errSSOUnverified = ssoError("SSO sign-in failed: the provider's email is not verified")
)

// userEmail exchanges the code for a token and returns the provider's
// verified email for it.
func userEmail(conf *oauth2.Config, p SSOProvider, code string) (string, error) {
	// Not derived from the request: fasthttp reuses a RequestCtx once the handler
	// returns, while a derived context's goroutine may still read it.
	cctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	tok, err := conf.Exchange(cctx, code)
	if err != nil {
		return "", fmt.Errorf("%w: %v", errSSOExchange, err)
	}
	resp, err := conf.Client(cctx, tok).Get(p.UserInfoURL)
	if err != nil {
		return "", fmt.Errorf("userinfo: %v", err)
	}
	defer resp.Body.Close()
	var info struct {
		Email         string `json:"email"`
		EmailVerified bool   `json:"email_verified"`
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode != http.StatusOK || json.Unmarshal(body, &info) != nil {
		return "", fmt.Errorf("userinfo: status %d", resp.StatusCode)
	}
	if info.Email == "" {
		return "", errSSONoEmail
	}
	if !info.EmailVerified {
		return "", errSSOUnverified
	}
	return info.Email, nil
}

// state is action.expiry.nonce.signature, base64url-encoded.
func (o *sso) state(action string) string {
	nonce := make([]byte, 12)
	_, _ = rand.Read(nonce)
	msg := action + "." + strconv.FormatInt(time.Now().Add(stateTTL).Unix(), 10) + "." + base64.RawURLEncoding.EncodeToString(nonce)
	return msg + "." + o.sign(msg)
}

func (o *sso) validState(state, action string) bool {
	i := strings.LastIndexByte(state, '.')
	if i < 0 || !hmac.Equal([]byte(state[i+1:]), []byte(o.sign(state[:i]))) {
		return false
	}
	parts := strings.Split(state[:i], ".")
	if len(parts) != 3 || parts[0] != action {
		return false
	}
	exp, err := strconv.ParseInt(parts[1], 10, 64)
	return err == nil && time.Now().Unix() <= exp
}

func (o *sso) sign(msg string) string {
	m := hmac.New(sha256.New, o.key)
	m.Write([]byte(msg))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}
