package server

import (
	"encoding/json"
	"errors"

	"github.com/valyala/fasthttp"
	"github.com/walkerhost/walkerhost/internal/identity"
)

// Account endpoints beyond register and login: the OAuth2 password flow,
// token refresh, rename and password change (docs/API.md "Identity").

// oauthToken is the OAuth2 password flow of the docs page's Authorize
// button: form fields in, and on success a bare {access_token, token_type}
// (not the envelope), because that is what OAuth2 clients parse.
func (s *Server) oauthToken(ctx *fasthttp.RequestCtx) {
	args := ctx.PostArgs()
	u, err := s.ident.Login(ctx, s.app, clientKey(ctx), string(args.Peek("username")), string(args.Peek("password")))
	if err != nil {
		s.failErr(ctx, err)
		return
	}
	token, err := s.ident.Issue(s.app, u)
	if err != nil {
		s.internal(ctx, err)
		return
	}
	out, _ := json.Marshal(map[string]string{"access_token": token, "token_type": "bearer"})
	ctx.Response.Header.Set("Cache-Control", "no-store")
	finish(ctx, fasthttp.StatusOK, out)
}

// refreshToken trades a valid token for a new one with a fresh expiry.
func (s *Server) refreshToken(ctx *fasthttp.RequestCtx) {
	var in struct {
		Token string `json:"token"`
	}
	if !decodeBody(ctx, &in, "body must be a JSON object with token") {
		return
	}
	if in.Token == "" { // a missing token is a malformed request, not a failed sign-in
		fail(ctx, fasthttp.StatusBadRequest, CodeValidation, "token is required", nil)
		return
	}
	token, err := s.ident.Refresh(s.app, in.Token) // a renamed or signed-out user's token is dead
	if errors.Is(err, identity.ErrInvalidToken) {
		s.failErr(ctx, identity.ErrInvalidToken)
		return
	}
	if err != nil {
		s.internal(ctx, err)
		return
	}
	respondValue(ctx, fasthttp.StatusOK, map[string]string{"token": token, "message": "Token refreshed successfully"})
}

// changeUsername renames the caller; the answer carries a token for the
// new name, since tokens for the old one stop working.
func (s *Server) changeUsername(ctx *fasthttp.RequestCtx) {
	caller, _, ok := s.bearerUser(ctx)
	if !ok {
		return
	}
	var in struct {
		Current string `json:"current_username"`
		New     string `json:"new_username"`
	}
	if !decodeBody(ctx, &in, "body must be a JSON object with current_username and new_username") {
		return
	}
	u, err := s.ident.Rename(s.app, caller, in.Current, in.New)
	if err != nil {
		s.failErr(ctx, err)
		return
	}
	s.answerUser(ctx, fasthttp.StatusOK, u, false)
}

// changePassword sets a new password for the caller after checking the
// current one. Every earlier token of the caller stops working, the one of
// this request included; the answer carries a new one.
func (s *Server) changePassword(ctx *fasthttp.RequestCtx) {
	caller, _, ok := s.bearerUser(ctx)
	if !ok {
		return
	}
	var in struct {
		Username string `json:"username"`
		Current  string `json:"current_password"`
		New      string `json:"new_password"`
	}
	if !decodeBody(ctx, &in, "body must be a JSON object with username, current_password and new_password") {
		return
	}
	u, err := s.ident.ChangePassword(ctx, s.app, clientKey(ctx), caller, in.Username, in.Current, in.New)
	if errors.Is(err, identity.ErrInvalidCredentials) {
		// 400, not 401: the caller's session is valid, only the form is wrong,
		// and a 401 tells clients to drop their token.
		fail(ctx, fasthttp.StatusBadRequest, CodeValidation, "Invalid current password", nil)
		return
	}
	if err != nil {
		s.failErr(ctx, err)
		return
	}
	token, err := s.ident.Issue(s.app, u)
	if err != nil {
		s.internal(ctx, err)
		return
	}
	respondValue(ctx, fasthttp.StatusOK, map[string]string{"username": u.Username, "token": token, "message": "Password changed successfully"})
}

// logoutAll signs the caller out everywhere: every token issued to them so
// far, the one of this request included, stops working on every host.
func (s *Server) logoutAll(ctx *fasthttp.RequestCtx) {
	caller, _, ok := s.bearerUser(ctx)
	if !ok {
		return
	}
	if err := s.ident.SignOutEverywhere(s.app, caller); err != nil {
		s.failErr(ctx, err)
		return
	}
	respondValue(ctx, fasthttp.StatusOK, map[string]string{"username": caller, "message": "Signed out everywhere"})
}

// decodeBody unmarshals a JSON object body into v, answering 400 with msg
// and returning false when it is not one.
func decodeBody(ctx *fasthttp.RequestCtx, v any, msg string) bool {
	if err := json.Unmarshal(ctx.PostBody(), v); err != nil {
		fail(ctx, fasthttp.StatusBadRequest, CodeValidation, msg, nil)
		return false
	}
	return true
}
