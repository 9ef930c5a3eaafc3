package identity

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/walkerhost/walkerhost/host/graph"
	"github.com/walkerhost/walkerhost/host/store"
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
