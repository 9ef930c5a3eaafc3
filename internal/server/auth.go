package server

import (
	"github.com/valyala/fasthttp"
	"github.com/walkerhost/walkerhost/abi"
	"github.com/walkerhost/walkerhost/internal/graph"
	"github.com/walkerhost/walkerhost/internal/identity"
)

// caller resolves who is calling an entry: the user's root for a valid
// Bearer token; for a public entry without one, the shared guest root. It
// writes a 401 and returns false when a protected entry gets no valid token.
func (s *Server) caller(ctx *fasthttp.RequestCtx, access string) (graph.ID, bool) {
	if token, ok := identity.BearerToken(string(ctx.Request.Header.Peek("Authorization"))); ok {
		if user, root, err := s.ident.Authenticate(s.app, token); err == nil {
			setUser(ctx, user)
			return root, true
		}
	}
	if access == abi.AccessPublic {
		root, err := s.graph.GuestRoot(s.app)
		if err != nil {
			s.internal(ctx, err)
			return root, false
		}
		return root, true
	}
	ctx.Response.Header.Set("WWW-Authenticate", "Bearer")
	fail(ctx, fasthttp.StatusUnauthorized, CodeUnauthorized, "a valid Bearer token is required", nil)
	return graph.ID{}, false
}

// bearerUser resolves the user of a required Bearer token: their name and
// root. A missing, invalid or expired token, or one for a user that no
// longer exists under that name (renamed), gets a 401 and false.
func (s *Server) bearerUser(ctx *fasthttp.RequestCtx) (string, graph.ID, bool) {
	if token, ok := identity.BearerToken(string(ctx.Request.Header.Peek("Authorization"))); ok {
		if user, root, err := s.ident.Authenticate(s.app, token); err == nil {
			setUser(ctx, user)
			return user, root, true
		}
	}
	ctx.Response.Header.Set("WWW-Authenticate", "Bearer")
	fail(ctx, fasthttp.StatusUnauthorized, CodeUnauthorized, "a valid Bearer token is required", nil)
	return "", graph.ID{}, false
}
