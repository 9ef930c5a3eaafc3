package identity

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/walkerhost/walkerhost/host/store"
	"github.com/walkerhost/walkerhost/internal/graph"
)

// Store kinds: key records by id, the id of each key by its hash, so a
// webhook call is one lookup and the key itself is never stored, and an
// index of the ids by owner ("OWNER/ID"), so listing a user's keys reads
// only theirs.
const (
	apiKeysKind   = "api_keys"
	apiHashesKind = "api_key_hashes"
	apiOwnersKind = "api_key_owners"
)

// ownersBuilt marks, in the owner index of an app, that the index covers
// every key: keys stored before the index existed are added once.
var ownersBuilt = []byte("\x00built")

// DefaultMaxAPIKeysPerUser is the cap of a new APIKeys.
const DefaultMaxAPIKeysPerUser = 100

// APIKey is the stored record of an API key: metadata and the hash of the
// key, never the key.
type APIKey struct {
	ID      string     `json:"id"`
	Name    string     `json:"name"`
	Owner   graph.ID   `json:"owner"` // the owner's root: stable across renames
	Hash    string     `json:"hash"`
	Created time.Time  `json:"created"`
	Expires *time.Time `json:"expires,omitempty"` // nil: permanent
	Revoked bool       `json:"revoked"`
}

// Active reports whether the key may be used at now.
func (k *APIKey) Active(now time.Time) bool {
	return !k.Revoked && (k.Expires == nil || now.Before(*k.Expires))
}

// APIKeys mints, lists, revokes and checks API keys, kept per app in the
// store so that revocations survive restarts and are seen by replicas.
type APIKeys struct {
	db      *store.DB
	pepper  []byte // webhook secret; when set, keys are hashed with HMAC
	now     func() time.Time
	max     int      // keys one user may hold; 0: no cap
	indexed sync.Map // app -> true once its owner index is complete
}

// NewAPIKeys returns the key service. pepper (the configured webhook
// secret, may be empty) keys the stored hashes, so a copy of the store
// alone does not let anyone test guessed keys; changing it invalidates
// every key.
func NewAPIKeys(db *store.DB, pepper string) *APIKeys {
	return &APIKeys{db: db, pepper: []byte(pepper), now: time.Now, max: DefaultMaxAPIKeysPerUser}
}

// SetMaxPerUser sets how many keys one user may hold (0: no cap). Call it
// before the service is used concurrently.
func (s *APIKeys) SetMaxPerUser(n int) { s.max = n }

func ownerKey(owner graph.ID, id string) []byte { return []byte(owner.String() + "/" + id) }

// ensureIndex adds the keys stored before the owner index existed to it,
// once per app and process; the marker makes it once per store.
func (s *APIKeys) ensureIndex(app string) error {
	if _, ok := s.indexed.Load(app); ok {
		return nil
	}
	built := false
	if err := s.db.View(func(tx *store.Tx) error {
		built = tx.Bucket(app, apiOwnersKind).Peek(ownersBuilt) != nil
		return nil
	}); err != nil {
		return err
	}
	if !built {
		err := s.db.Update(func(tx *store.Tx) error {
			var entries [][]byte
			err := tx.Bucket(app, apiKeysKind).Scan(nil, func(_, v []byte) bool {
				var k APIKey
				if json.Unmarshal(v, &k) == nil {
					entries = append(entries, ownerKey(k.Owner, k.ID))
				}
				return true
			})
			if err != nil {
				return err
			}
			owners := tx.Bucket(app, apiOwnersKind)
			for _, e := range entries {
				if err := owners.Put(e, []byte{1}); err != nil {
					return err
				}
			}
			return owners.Put(ownersBuilt, []byte{1})
		})
		if err != nil {
			return err
		}
	}
	s.indexed.Store(app, true)
	return nil
}

// owned returns owner's key records through the owner index.
func owned(tx *store.Tx, app string, owner graph.ID) ([]*APIKey, error) {
	var ids [][]byte
	prefix := []byte(owner.String() + "/")
	err := tx.Bucket(app, apiOwnersKind).Scan(prefix, func(k, _ []byte) bool {
		ids = append(ids, bytes.Clone(k[len(prefix):]))
		return true
	})
	if err != nil {
		return nil, err
	}
	b := tx.Bucket(app, apiKeysKind)
	keys := make([]*APIKey, 0, len(ids))
	for _, id := range ids {
		var k APIKey
		if v := b.Peek(id); v != nil && json.Unmarshal(v, &k) == nil && k.Owner == owner {
			keys = append(keys, &k)
		}
	}
	return keys, nil
}

func (s *APIKeys) hash(key string) string {
	if len(s.pepper) == 0 {
		sum := sha256.Sum256([]byte(key))
		return hex.EncodeToString(sum[:])
	}
	m := hmac.New(sha256.New, s.pepper)
	m.Write([]byte(key))
	return hex.EncodeToString(m.Sum(nil))
}

// Create mints a key for owner that expires after expiryDays (0: never).
// It returns the key, shown once, and its record. A user holds at most
// the cap of keys: at the cap, their revoked and expired keys are deleted
// to make room, and when all are active Create returns a LimitError.
func (s *APIKeys) Create(app string, owner graph.ID, name string, expiryDays int) (string, *APIKey, error) {
	switch {
	case strings.TrimSpace(name) == "" || utf8.RuneCountInString(name) > 256:
		return "", nil, fmt.Errorf("%w: name must be 1..256 characters", ErrValidation)
	case expiryDays < 0 || expiryDays > 36500:
		return "", nil, fmt.Errorf("%w: expiry_days must be 0 (never) to 36500", ErrValidation)
	}
	raw := make([]byte, 32)
	_, _ = rand.Read(raw)
	key := APIKeyPrefix + base64.RawURLEncoding.EncodeToString(raw)
	id := make([]byte, 12)
	_, _ = rand.Read(id)
	now := s.now().UTC()
	rec := &APIKey{ID: hex.EncodeToString(id), Name: name, Owner: owner, Hash: s.hash(key), Created: now}
	if expiryDays > 0 {
		exp := now.AddDate(0, 0, expiryDays)
		rec.Expires = &exp
	}
	out, _ := json.Marshal(rec)
	if err := s.ensureIndex(app); err != nil {
		return "", nil, err
	}
	err := s.db.Update(func(tx *store.Tx) error {
		if err := s.makeRoom(tx, app, owner, now); err != nil {
			return err
		}
		if err := tx.Bucket(app, apiKeysKind).Put([]byte(rec.ID), out); err != nil {
			return err
		}
		if err := tx.Bucket(app, apiOwnersKind).Put(ownerKey(owner, rec.ID), []byte{1}); err != nil {
			return err
		}
		return tx.Bucket(app, apiHashesKind).Put([]byte(rec.Hash), []byte(rec.ID))
	})
	if err != nil {
		return "", nil, err
	}
	return key, rec, nil
}

// makeRoom makes room for one more key of owner: at the cap it deletes
// their keys that are no longer active, and refuses when none is.
func (s *APIKeys) makeRoom(tx *store.Tx, app string, owner graph.ID, now time.Time) error {
	if s.max <= 0 {
		return nil
	}
	keys, err := owned(tx, app, owner)
	if err != nil || len(keys) < s.max {
		return err
	}
	n := len(keys)
	for _, k := range keys {
		if k.Active(now) {
			continue
		}
		for _, del := range []struct {
			kind string
			key  []byte
		}{{apiKeysKind, []byte(k.ID)}, {apiHashesKind, []byte(k.Hash)}, {apiOwnersKind, ownerKey(owner, k.ID)}} {
			if err := tx.Bucket(app, del.kind).Delete(del.key); err != nil {
				return err
			}
		}
		n--
	}
	if n >= s.max {
		return &LimitError{Limit: LimitAPIKeys, Value: strconv.Itoa(s.max)}
	}
	return nil
}

// List returns owner's keys, revoked and expired ones included, oldest
// first. It reads the owner index, so its cost is that of owner's keys
// whatever the other users hold.
func (s *APIKeys) List(app string, owner graph.ID) ([]*APIKey, error) {
	if err := s.ensureIndex(app); err != nil {
		return nil, err
	}
	var keys []*APIKey
	err := s.db.View(func(tx *store.Tx) error {
		var err error
		keys, err = owned(tx, app, owner)
		return err
	})
	slices.SortStableFunc(keys, func(a, b *APIKey) int { return a.Created.Compare(b.Created) })
	return keys, err
}

// Revoke marks owner's key id revoked; the record stays, so the key stays
// refused. Another user's key is ErrForbidden, an unknown id ErrKeyNotFound.
func (s *APIKeys) Revoke(app string, owner graph.ID, id string) error {
	return s.db.Update(func(tx *store.Tx) error {
		b := tx.Bucket(app, apiKeysKind)
		v := b.Get([]byte(id))
		if v == nil {
			return ErrKeyNotFound
		}
		var k APIKey
		if err := json.Unmarshal(v, &k); err != nil {
			return fmt.Errorf("identity: API key record %q: %w", id, err)
		}
		if k.Owner != owner {
			return ErrForbidden
		}
		k.Revoked = true
		out, _ := json.Marshal(&k)
		return b.Put([]byte(id), out)
	})
}

// Authenticate returns the owner of an active key. Every refusal is
// ErrInvalidAPIKey, so callers cannot tell unknown from revoked.
func (s *APIKeys) Authenticate(app, key string) (graph.ID, error) {
	var k APIKey
	found := false
	err := s.db.View(func(tx *store.Tx) error {
		id := tx.Bucket(app, apiHashesKind).Get([]byte(s.hash(key)))
		if id == nil {
			return nil
		}
		v := tx.Bucket(app, apiKeysKind).Get(id)
		found = v != nil && json.Unmarshal(v, &k) == nil
		return nil
	})
	if err != nil {
		return graph.ID{}, err
	}
	if !found || !k.Active(s.now()) {
		return graph.ID{}, ErrInvalidAPIKey
	}
	return k.Owner, nil
}
