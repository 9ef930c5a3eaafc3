package server

import (
	"context"
	"encoding/hex"
	"strconv"
	"time"

	"github.com/valyala/fasthttp"
	"github.com/walkerhost/walkerhost/internal/graph"
	"github.com/walkerhost/walkerhost/internal/identity"
	"github.com/walkerhost/walkerhost/internal/web"
)

const (
	apiKeyHeader    = "X-API-Key"
	timestampHeader = "X-Webhook-Timestamp"
)

// webhookCaller authenticates a /webhook/NAME call: an active API key and,
// unless verification is off, an HMAC keyed with that key over
// "{timestamp}." + body, where X-Webhook-Timestamp (Unix seconds) must be
// within the replay window (or, with timestamps optional and none sent,
// over the body alone), and a signature not seen before within the
// window. The walker runs on the key owner's root. A Bearer token is not
// accepted here.
func (s *Server) webhookCaller(ctx *fasthttp.RequestCtx) (graph.ID, error) {
	root, err := s.checkWebhook(ctx, time.Now())
	if err != nil {
		return graph.ID{}, err
	}
	setUserRoot(ctx, root)
	return root, nil
}

func (s *Server) checkWebhook(ctx *fasthttp.RequestCtx, now time.Time) (graph.ID, error) {
	raw := ctx.Request.Header.Peek(apiKeyHeader)
	if len(raw) == 0 {
		return graph.ID{}, identity.ErrMissingAPIKey
	}
	key, ok := identity.ParseAPIKey(string(raw))
	if !ok {
		return graph.ID{}, identity.ErrInvalidAPIKey
	}
	root, err := s.keys.Authenticate(s.app, key)
	if err != nil || s.hook.SkipSignature {
		return root, err
	}
	rawSig := ctx.Request.Header.Peek(s.hook.SignatureHeader)
	if len(rawSig) == 0 {
		return graph.ID{}, &web.Error{Status: fasthttp.StatusUnauthorized, Code: CodeUnauthorized,
			Message: "the " + s.hook.SignatureHeader + " header is required", Err: identity.ErrMissingSignature}
	}
	sig, ok := identity.ParseSignature(string(rawSig))
	if !ok {
		return graph.ID{}, identity.ErrBadSignature
	}
	ts := string(ctx.Request.Header.Peek(timestampHeader))
	switch {
	case ts == "" && !s.hook.OptionalTimestamp:
		return graph.ID{}, identity.ErrMissingTimestamp
	case ts != "" && !fresh(ts, now, s.hook.ReplayWindow):
		return graph.ID{}, identity.ErrStaleTimestamp
	}
	if !identity.VerifySignature(key, ts, ctx.PostBody(), sig) {
		return graph.ID{}, identity.ErrBadSignature
	}
	// A timestamp may lie up to a window ahead, so its signature stays
	// usable for two windows; one without a timestamp is refused again
	// for one window.
	ttl := 2 * s.hook.ReplayWindow
	if ts == "" {
		ttl = s.hook.ReplayWindow
	}
	first, err := s.hook.Seen.Claim(context.Background(), "hook:"+s.app+":"+hex.EncodeToString(sig), ttl)
	if err != nil {
		return graph.ID{}, err
	}
	if !first {
		return graph.ID{}, identity.ErrReplay
	}
	return root, nil
}

// fresh reports whether ts (Unix seconds) is within window of now, either
// way: a timestamp far in the future would otherwise stay valid forever.
func fresh(ts string, now time.Time, window time.Duration) bool {
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return false
	}
	d := now.Sub(time.Unix(sec, 0))
	return d <= window && d >= -window
}
