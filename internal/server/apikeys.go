package server

import (
	"time"

	"github.com/valyala/fasthttp"
	"github.com/walkerhost/walkerhost/internal/web"
)

// API key endpoints (docs/API.md "Webhooks and API keys"): a signed-in user mints, lists and
// revokes the keys that authenticate their webhooks.

type apiKeyView struct {
	ID      string     `json:"api_key_id"`
	Name    string     `json:"name"`
	Created time.Time  `json:"created_at"`
	Expires *time.Time `json:"expires_at"` // null: permanent
	Active  *bool      `json:"active,omitempty"`
	Key     string     `json:"api_key,omitempty"` // only in the create answer
}

func (s *Server) createAPIKey(ctx *fasthttp.RequestCtx) error {
	_, root, err := s.bearerUser(ctx)
	if err != nil {
		return err
	}
	var in struct {
		Name       string `json:"name"`
		ExpiryDays *int   `json:"expiry_days"`
	}
	if err := decodeBody(ctx, &in, "body must be a JSON object with name and an optional integer expiry_days"); err != nil {
		return err
	}
	days := s.hook.KeyExpiryDays
	if in.ExpiryDays != nil {
		days = *in.ExpiryDays
	}
	key, rec, err := s.keys.Create(s.app, root, in.Name, days)
	if err != nil {
		return err
	}
	return web.RespondValue(ctx, fasthttp.StatusCreated, apiKeyView{ID: rec.ID, Name: rec.Name, Created: rec.Created, Expires: rec.Expires, Key: key})
}

func (s *Server) listAPIKeys(ctx *fasthttp.RequestCtx) error {
	_, root, err := s.bearerUser(ctx)
	if err != nil {
		return err
	}
	keys, err := s.keys.List(s.app, root)
	if err != nil {
		return err
	}
	now := time.Now()
	views := make([]apiKeyView, len(keys))
	for i, k := range keys {
		active := k.Active(now)
		views[i] = apiKeyView{ID: k.ID, Name: k.Name, Created: k.Created, Expires: k.Expires, Active: &active}
	}
	return web.RespondValue(ctx, fasthttp.StatusOK, map[string]any{"api_keys": views})
}

func (s *Server) revokeAPIKey(ctx *fasthttp.RequestCtx) error {
	_, root, err := s.bearerUser(ctx)
	if err != nil {
		return err
	}
	id, _ := ctx.UserValue("api_key_id").(string)
	if err := s.keys.Revoke(s.app, root, id); err != nil {
		return err
	}
	return web.RespondValue(ctx, fasthttp.StatusOK, map[string]string{"api_key_id": id, "message": "API key revoked"})
}
