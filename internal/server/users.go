package server

import (
	"encoding/json"

	"github.com/valyala/fasthttp"
	"github.com/walkerhost/walkerhost/internal/identity"
	"github.com/walkerhost/walkerhost/internal/web"
)

// credentials is a register or login body in any of the forms clients
// send: {"username", "password"}, "email" in place of "username", and
// jac-scale 0.2.x's {"identities": [{"type": "username", "value"}],
// "credential": {"type": "password", "password"}} (login: "identity"
// with one object).
type credentials struct {
	Username   string      `json:"username"`
	Email      string      `json:"email"`
	Password   string      `json:"password"`
	Identities []claimedID `json:"identities"`
	Identity   *claimedID  `json:"identity"`
	Credential *struct {
		Type     string `json:"type"`
		Password string `json:"password"`
	} `json:"credential"`
}

// claimedID is one of jac-scale's identities: a username or an e-mail.
type claimedID struct {
	Type  string `json:"type"`
	Value string `json:"value"`
}

// parseCredentials reads a register or login body into a username and a
// password, whichever form it has; the first that is given wins.
func parseCredentials(body []byte) (user, password string, err error) {
	var c credentials
	if err := json.Unmarshal(body, &c); err != nil {
		return "", "", err
	}
	user, password = c.Username, c.Password
	if user == "" {
		user = c.Email
	}
	ids := c.Identities
	if c.Identity != nil {
		ids = append(ids, *c.Identity)
	}
	for _, id := range ids {
		if user == "" && (id.Type == "username" || id.Type == "email" || id.Type == "") {
			user = id.Value
		}
	}
	if password == "" && c.Credential != nil && (c.Credential.Type == "password" || c.Credential.Type == "") {
		password = c.Credential.Password
	}
	return user, password, nil
}

func readCredentials(ctx *fasthttp.RequestCtx) (credentials, error) {
	user, password, err := parseCredentials(ctx.PostBody())
	if err != nil {
		return credentials{}, invalid("body must be a JSON object with username (or email) and password")
	}
	return credentials{Username: user, Password: password}, nil
}

func (s *Server) register(ctx *fasthttp.RequestCtx) error {
	c, err := readCredentials(ctx)
	if err != nil {
		return err
	}
	u, err := s.ident.Register(s.app, c.Username, c.Password)
	if err != nil {
		return err
	}
	return s.answerUser(ctx, fasthttp.StatusCreated, u, false)
}

func (s *Server) login(ctx *fasthttp.RequestCtx) error {
	c, err := readCredentials(ctx)
	if err != nil {
		return err
	}
	if c.Username == "" || c.Password == "" {
		return invalid("Username and password required")
	}
	u, err := s.ident.Login(ctx, s.app, clientKey(ctx), c.Username, c.Password)
	if err != nil {
		return err
	}
	return s.answerUser(ctx, fasthttp.StatusOK, u, true)
}

func (s *Server) answerUser(ctx *fasthttp.RequestCtx, status int, u *identity.User, login bool) error {
	token, err := s.ident.Issue(s.app, u)
	if err != nil {
		return internalErr{err}
	}
	data := map[string]any{"username": u.Username, "token": token, "root_id": u.Root.String()}
	if login {
		data["access_token"], data["token_type"] = token, "bearer"
	}
	return web.RespondValue(ctx, status, data)
}

// clientKey is the throttling key of the request's client address
// (identity.ClientKey): the connection's peer, so behind a proxy every
// client shares the proxy's budget.
func clientKey(ctx *fasthttp.RequestCtx) string { return identity.ClientKey(ctx.RemoteIP()) }
