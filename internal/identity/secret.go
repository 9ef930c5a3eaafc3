package identity

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"

	"github.com/walkerhost/walkerhost/host/store"
)

// secretsKind holds host secrets in a shared store.
const secretsKind = "secrets"

var jwtSecretKey = []byte("jwt")

// StoredSecret returns configured when set; otherwise the secret kept in db
// under app, generating and saving a random one the first time (and logging
// that once). It is LoadSecret for a store that several hosts share: every
// host then signs and accepts the same tokens.
func StoredSecret(db *store.DB, app, configured string, log *slog.Logger) ([]byte, error) {
	if configured != "" {
		return []byte(configured), nil
	}
	var secret []byte
	created := false
	err := db.Update(func(tx *store.Tx) error {
		b := tx.Bucket(app, secretsKind)
		if secret, created = b.Get(jwtSecretKey), false; len(secret) >= 32 {
			return nil
		}
		raw := make([]byte, 32)
		_, _ = rand.Read(raw)
		secret, created = []byte(hex.EncodeToString(raw)), true
		return b.Put(jwtSecretKey, secret)
	})
	if err != nil {
		return nil, fmt.Errorf("identity: JWT secret: %w", err)
	}
	if created {
		log.Warn("no JWT secret configured; generated one and saved it in the shared store")
	}
	return secret, nil
}
