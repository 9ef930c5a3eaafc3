package server

import (
	"encoding/json"
	"errors"

	"github.com/valyala/fasthttp"
	"github.com/walkerhost/walkerhost/internal/identity"
	"github.com/walkerhost/walkerhost/internal/web"
)

// Account endpoints beyond register and login: the OAuth2 password flow,
// token refresh, rename and password change (docs/API.md "Identity").

// oauthToken is the OAuth2 password flow of the docs page's Authorize
// button: form fields in, and on success a bare {access_token, token_type}
// (not the envelope), because that is what OAuth2 clients parse.
func (s *Server) oauthToken(ctx *fasthttp.RequestCtx) error {
	args := ctx.PostArgs()
	u, err := s.ident.Login(ctx, s.app, clientKey(ctx), string(args.Peek("username")), string(args.Peek("password")))
	if err != nil {
		return err
	}
	token, err := s.ident.Issue(s.app, u)
	if err != nil {
		return internalErr{err}
	}
	out, _ := json.Marshal(map[string]string{"access_token": token, "token_type": "bearer"})
	ctx.Response.Header.Set("Cache-Control", "no-store")
	web.Finish(ctx, fasthttp.StatusOK, out)
	return nil
}

// refreshToken trades a valid token for a new one with a fresh expiry.
func (s *Server) refreshToken(ctx *fasthttp.RequestCtx) error {
	var in struct {
		Token string `json:"token"`
	}
	if err := decodeBody(ctx, &in, "body must be a JSON object with token"); err != nil {
		return err
	}
	if in.Token == "" { // a missing token is a malformed request, not a failed sign-in
		return invalid("token is required")
	}
	token, err := s.ident.Refresh(s.app, in.Token) // a renamed or signed-out user's token is dead
	if errors.Is(err, identity.ErrInvalidToken) {
		return identity.ErrInvalidToken
	}
	if err != nil {
		return internalErr{err}
	}
	return web.RespondValue(ctx, fasthttp.StatusOK, map[string]string{"token": token, "message": "Token refreshed successfully"})
}

// changeUsername renames the caller; the answer carries a token for the
// new name, since tokens for the old one stop working.
func (s *Server) changeUsername(ctx *fasthttp.RequestCtx) error {
	caller, _, err := s.bearerUser(ctx)
	if err != nil {
		return err
	}
	var in struct {
		Current string `json:"current_username"`
		New     string `json:"new_username"`
	}
	if err := decodeBody(ctx, &in, "body must be a JSON object with current_username and new_username"); err != nil {
		return err
	}
	u, err := s.ident.Rename(s.app, caller, in.Current, in.New)
	if err != nil {
		return err
	}
	return s.answerUser(ctx, fasthttp.StatusOK, u, false)
}

// changePassword sets a new password for the caller after checking the
// current one. Every earlier token of the caller stops working, the one of
// this request included; the answer carries a new one.
func (s *Server) changePassword(ctx *fasthttp.RequestCtx) error {
	caller, _, err := s.bearerUser(ctx)
	if err != nil {
		return err
	}
	var in struct {
		Username string `json:"username"`
		Current  string `json:"current_password"`
		New      string `json:"new_password"`
	}
	if err := decodeBody(ctx, &in, "body must be a JSON object with username, current_password and new_password"); err != nil {
		return err
	}
	u, err := s.ident.ChangePassword(ctx, s.app, clientKey(ctx), caller, in.Username, in.Current, in.New)
	if errors.Is(err, identity.ErrInvalidCredentials) {
		// 400, not 401: the caller's session is valid, only the form is wrong,
		// and a 401 tells clients to drop their token.
		return invalid("Invalid current password")
	}
	if err != nil {
		return err
	}
	token, err := s.ident.Issue(s.app, u)
	if err != nil {
		return internalErr{err}
	}
	return web.RespondValue(ctx, fasthttp.StatusOK, map[string]string{"username": u.Username, "token": token, "message": "Password changed successfully"})
}

// logoutAll signs the caller out everywhere: every token issued to them so
// far, the one of this request included, stops working on every host.
func (s *Server) logoutAll(ctx *fasthttp.RequestCtx) error {
	caller, _, err := s.bearerUser(ctx)
	if err != nil {
		return err
	}
	if err := s.ident.SignOutEverywhere(s.app, caller); err != nil {
		return err
	}
	return web.RespondValue(ctx, fasthttp.StatusOK, map[string]string{"username": caller, "message": "Signed out everywhere"})
}

// decodeBody unmarshals a JSON object body into v; when it is not one, the
// answer is a 400 with msg.
func decodeBody(ctx *fasthttp.RequestCtx, v any, msg string) error {
	if err := json.Unmarshal(ctx.PostBody(), v); err != nil {
		return invalid(msg)
	}
	return nil
}
