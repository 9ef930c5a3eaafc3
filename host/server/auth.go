package server

import (
	"github.com/valyala/fasthttp"
	"github.com/walkerhost/walkerhost/abi"
	"github.com/walkerhost/walkerhost/host/graph"
)

// caller resolves who is calling an entry: the user's root for a valid
// Bearer token; for a public entry without one, the shared guest root. It
// writes a 401 and returns false when a protected entry gets no valid token.
func (s *Server) caller(ctx *fasthttp.RequestCtx, access string) (graph.ID, bool) {
	if auth := ctx.Request.Header.Peek("Authorization"); len(auth) > 0 {
		if root, err := s.tokenRoot(string(auth)); err == nil {
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

func (s *Server) tokenRoot(header string) (graph.ID, error) {
	user, err := s.ident.Tokens().Verify(header)
	if err != nil {
		return graph.ID{}, err
	}
	return s.ident.Root(s.app, user)
}
