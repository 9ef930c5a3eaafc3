package host

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/walkerhost/walkerhost/host/config"
	"github.com/walkerhost/walkerhost/host/store"
	"github.com/walkerhost/walkerhost/internal/identity"
	"github.com/walkerhost/walkerhost/internal/server"
	"github.com/walkerhost/walkerhost/internal/tiered"
)

// openStore opens the embedded store in the data directory, or, when a
// MongoDB URI is configured, the tiered store (docs/STORE.md).
func openStore(ctx context.Context, cfg config.Config, log *slog.Logger) (*store.DB, error) {
	if cfg.MongoURI == "" {
		if cfg.RedisURL != "" {
			log.Warn("REDIS_URL without MONGODB_URI: Redis serves the kvstore only; the graph and users stay in the data directory, so several hosts need MONGODB_URI too")
		}
		return store.Open(cfg.DataDir)
	}
	be, err := tiered.Open(ctx, tiered.Options{MongoURI: cfg.MongoURI, RedisURL: cfg.RedisURL,
		Connect: cfg.DBConnectTimeout, Logger: log})
	if err != nil {
		key := "plugins.scale.database.mongodb_uri (MONGODB_URI)"
		if errors.Is(err, tiered.ErrRedis) {
			key = "plugins.scale.database.redis_url (REDIS_URL)"
		}
		return nil, fmt.Errorf("host: %s: %w", key, err)
	}
	if cfg.RedisURL == "" {
		log.Warn("MONGODB_URI without REDIS_URL: the data is durable in MongoDB, but only this one host may use it; set REDIS_URL to run several")
	}
	return store.New(be), nil
}

// openSeen opens where the login failure counters and the webhook replay
// cache live: Redis, under the deployment's database name, when hosts
// share a tiered store with Redis, so that every replica counts and
// refuses alike; this process's memory otherwise (one host).
func (h *Host) openSeen() error {
	t, ok := h.db.Backend().(*tiered.Store)
	if !ok || h.cfg.RedisURL == "" {
		h.seen = identity.NewMemoryEphemeral()
		return nil
	}
	seen, closeFn, err := identity.NewRedisEphemeral(h.cfg.RedisURL, "{wh:"+t.Database()+"}:id:")
	if err != nil {
		return fmt.Errorf("host: plugins.scale.database.redis_url (REDIS_URL): %w", err)
	}
	h.seen, h.closeSeen = seen, closeFn
	return nil
}

// jwtSecret is the configured secret, or the one generated once and kept
// in the data directory, or in the shared store when hosts share one.
func jwtSecret(db *store.DB, cfg config.Config, log *slog.Logger) ([]byte, error) {
	if cfg.MongoURI == "" {
		return identity.LoadSecret(cfg.DataDir, cfg.JWTSecret, log)
	}
	return identity.StoredSecret(db, server.DefaultApp, cfg.JWTSecret, log)
}

// TierStats returns the tiered store's counters; ok is false on the
// embedded store.
func (h *Host) TierStats() (TierStats, bool) {
	if t, ok := h.db.Backend().(*tiered.Store); ok {
		return t.Stats(), true
	}
	return TierStats{}, false
}

// PingStore checks that the store's servers answer, for readiness checks;
// the embedded store always does.
func (h *Host) PingStore(ctx context.Context) error {
	if t, ok := h.db.Backend().(*tiered.Store); ok {
		return t.Ping(ctx)
	}
	return nil
}
