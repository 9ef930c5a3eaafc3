package server

import (
	"github.com/valyala/fasthttp"
	"github.com/walkerhost/walkerhost/abi"
	"github.com/walkerhost/walkerhost/internal/graph"
	"github.com/walkerhost/walkerhost/internal/identity"
)

// caller resolves who is calling an entry: the user's root for a valid
// Bearer token; for a public entry without one, the shared guest root. A
// protected entry without a valid token is a 401.
func (s *Server) caller(ctx *fasthttp.RequestCtx, access string) (graph.ID, error) {
	if token, ok := identity.BearerToken(string(ctx.Request.Header.Peek("Authorization"))); ok {
		if user, root, err := s.ident.Authenticate(s.app, token); err == nil {
			setUser(ctx, user)
			return root, nil
		}
	}
	if access == abi.AccessPublic {
		root, err := s.graph.GuestRoot(s.app)
		if err != nil {
			return root, internalErr{err}
		}
		return root, nil
	}
	return graph.ID{}, errBearer
}

// bearerUser resolves the user of a required Bearer token: their name and
// root. A missing, invalid or expired token, or one for a user that no
// longer exists under that name (renamed), is a 401.
func (s *Server) bearerUser(ctx *fasthttp.RequestCtx) (string, graph.ID, error) {
	if token, ok := identity.BearerToken(string(ctx.Request.Header.Peek("Authorization"))); ok {
		if user, root, err := s.ident.Authenticate(s.app, token); err == nil {
			setUser(ctx, user)
			return user, root, nil
		}
	}
	return "", graph.ID{}, errBearer
}
