package identity

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/walkerhost/walkerhost/host/store"
	"github.com/walkerhost/walkerhost/internal/graph"
)

func openDB(t *testing.T) *store.DB {
	t.Helper()
	db, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestAPIKeys_Lifecycle(t *testing.T) {
	db := openDB(t)
	keys := NewAPIKeys(db, "")
	alice, bob := graph.NewID(), graph.NewID()
	key, rec, err := keys.Create("app", alice, "ci", 1)
	if err != nil || !strings.HasPrefix(key, APIKeyPrefix) || rec.Expires == nil {
		t.Fatalf("Create = %q, %+v, %v", key, rec, err)
	}
	if _, ok := ParseAPIKey(key); !ok {
		t.Fatal("minted key does not parse")
	}
	if owner, err := keys.Authenticate("app", key); err != nil || owner != alice {
		t.Fatalf("Authenticate = %v, %v", owner, err)
	}
	if _, err := keys.Authenticate("other", key); !errors.Is(err, ErrInvalidAPIKey) {
		t.Fatalf("key of another app: %v", err)
	}
	// Expired: a day and a second later.
	keys.now = func() time.Time { return time.Now().Add(24*time.Hour + time.Second) }
	if _, err := keys.Authenticate("app", key); !errors.Is(err, ErrInvalidAPIKey) {
		t.Fatalf("expired key: %v", err)
	}
	keys.now = time.Now
	if err := keys.Revoke("app", bob, rec.ID); !errors.Is(err, ErrForbidden) {
		t.Fatalf("revoke by another: %v", err)
	}
	if err := keys.Revoke("app", alice, "nope"); !errors.Is(err, ErrKeyNotFound) {
		t.Fatalf("revoke unknown: %v", err)
	}
	if err := keys.Revoke("app", alice, rec.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := keys.Authenticate("app", key); !errors.Is(err, ErrInvalidAPIKey) {
		t.Fatalf("revoked key: %v", err)
	}
	if list, _ := keys.List("app", alice); len(list) != 1 || list[0].Active(time.Now()) {
		t.Fatalf("List = %+v", list)
	}
	// A different pepper (webhook secret) makes every stored hash miss.
	if _, err := NewAPIKeys(db, "pepper").Authenticate("app", key); !errors.Is(err, ErrInvalidAPIKey) {
		t.Fatalf("other pepper: %v", err)
	}
	for _, bad := range []struct {
		name string
		days int
	}{{"", 1}, {"x", -1}} {
		if _, _, err := keys.Create("app", alice, bad.name, bad.days); !errors.Is(err, ErrValidation) {
			t.Fatalf("Create(%q, %d) = %v", bad.name, bad.days, err)
		}
	}
}

// TestAPIKeys_Cap: a user holds at most the cap of keys; at the cap their
// revoked keys make room, and other users are not affected.
func TestAPIKeys_Cap(t *testing.T) {
	keys := NewAPIKeys(openDB(t), "")
	keys.SetMaxPerUser(3)
	alice, bob := graph.NewID(), graph.NewID()
	var ids []string
	for range 3 {
		_, rec, err := keys.Create("app", alice, "k", 0)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, rec.ID)
	}
	_, _, err := keys.Create("app", alice, "one too many", 0)
	var lim *LimitError
	if !errors.As(err, &lim) || lim.Limit != LimitAPIKeys || lim.Value != "3" {
		t.Fatalf("4th key: %v", err)
	}
	if _, _, err := keys.Create("app", bob, "bob's", 0); err != nil {
		t.Fatalf("another user at alice's cap: %v", err)
	}
	if _, _, err := keys.Create("other", alice, "other app", 0); err != nil {
		t.Fatalf("another app: %v", err)
	}
	if err := keys.Revoke("app", alice, ids[0]); err != nil {
		t.Fatal(err)
	}
	if _, _, err := keys.Create("app", alice, "after revoking", 0); err != nil {
		t.Fatalf("after a revoke: %v", err)
	}
	list, _ := keys.List("app", alice)
	if len(list) != 3 {
		t.Fatalf("alice holds %d keys, want 3", len(list))
	}
	for _, k := range list {
		if k.ID == ids[0] {
			t.Fatal("revoked key kept at the cap")
		}
	}
}

// TestAPIKeys_OwnerIndex: List returns only the owner's keys, through the
// owner index, which is built once for keys stored before it existed.
func TestAPIKeys_OwnerIndex(t *testing.T) {
	db := openDB(t)
	alice, bob := graph.NewID(), graph.NewID()
	// Records as stored before the index: no api_key_owners entries.
	legacy := func(id string, owner graph.ID) {
		out, _ := json.Marshal(&APIKey{ID: id, Name: "old", Owner: owner, Hash: "h" + id, Created: time.Unix(int64(len(id)), 0)})
		if err := db.Update(func(tx *store.Tx) error { return tx.Bucket("app", apiKeysKind).Put([]byte(id), out) }); err != nil {
			t.Fatal(err)
		}
	}
	legacy("a1", alice)
	legacy("b1", bob)
	keys := NewAPIKeys(db, "")
	_, rec, err := keys.Create("app", alice, "new", 0)
	if err != nil {
		t.Fatal(err)
	}
	list, err := keys.List("app", alice)
	if err != nil || len(list) != 2 || list[0].ID != "a1" || list[1].ID != rec.ID {
		t.Fatalf("List(alice) = %+v, %v", list, err)
	}
	if list, _ := keys.List("app", bob); len(list) != 1 || list[0].ID != "b1" {
		t.Fatalf("List(bob) = %+v", list)
	}
	// The index is what List reads: a record with no index entry is not
	// listed once the index is built.
	legacy("a2", alice)
	if list, _ := NewAPIKeys(db, "").List("app", alice); len(list) != 2 {
		t.Fatalf("List read past the index: %+v", list)
	}
}

// BenchmarkAPIKeys_ListBesideOthers lists one key while another user holds
// 4000: the cost stays that of the one.
func BenchmarkAPIKeys_ListBesideOthers(b *testing.B) {
	db, err := store.Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	keys := NewAPIKeys(db, "")
	keys.SetMaxPerUser(0)
	noisy, quiet := graph.NewID(), graph.NewID()
	for range 4000 {
		if _, _, err := keys.Create("app", noisy, "k", 0); err != nil {
			b.Fatal(err)
		}
	}
	keys.Create("app", quiet, "mine", 0)
	b.ResetTimer()
	for b.Loop() {
		if l, _ := keys.List("app", quiet); len(l) != 1 {
			b.Fatal(len(l))
		}
	}
}
