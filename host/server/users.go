package server

import (
	"encoding/json"

	"github.com/valyala/fasthttp"
	"github.com/walkerhost/walkerhost/host/identity"
)

type credentials struct {
	Username string `json:"username"`
	Email    string `json:"email"`
	Password string `json:"password"`
}

func (s *Server) readCredentials(ctx *fasthttp.RequestCtx) (credentials, bool) {
	var c credentials
	if err := json.Unmarshal(ctx.PostBody(), &c); err != nil {
		fail(ctx, fasthttp.StatusBadRequest, CodeValidation, "body must be a JSON object with username (or email) and password", nil)
		return c, false
	}
	if c.Username == "" {
		c.Username = c.Email
	}
	return c, true
}

func (s *Server) register(ctx *fasthttp.RequestCtx) {
	c, ok := s.readCredentials(ctx)
	if !ok {
		return
	}
	u, err := s.ident.Register(s.app, c.Username, c.Password)
	if err != nil {
		s.failErr(ctx, err)
		return
	}
	s.answerUser(ctx, fasthttp.StatusCreated, u, false)
}

func (s *Server) login(ctx *fasthttp.RequestCtx) {
	c, ok := s.readCredentials(ctx)
	if !ok {
		return
	}
	if c.Username == "" || c.Password == "" {
		fail(ctx, fasthttp.StatusBadRequest, CodeValidation, "Username and password required", nil)
		return
	}
	u, err := s.ident.Login(ctx, s.app, clientKey(ctx), c.Username, c.Password)
	if err != nil {
		s.failErr(ctx, err)
		return
	}
	s.answerUser(ctx, fasthttp.StatusOK, u, true)
}

func (s *Server) answerUser(ctx *fasthttp.RequestCtx, status int, u *identity.User, login bool) {
	token, err := s.ident.Issue(s.app, u)
	if err != nil {
		s.internal(ctx, err)
		return
	}
	data := map[string]any{"username": u.Username, "token": token, "root_id": u.Root.String()}
	if login {
		data["access_token"], data["token_type"] = token, "bearer"
	}
	respondValue(ctx, status, data)
}

// clientKey is the throttling key of the request's client address
// (identity.ClientKey): the connection's peer, so behind a proxy every
// client shares the proxy's budget.
func clientKey(ctx *fasthttp.RequestCtx) string { return identity.ClientKey(ctx.RemoteIP()) }
