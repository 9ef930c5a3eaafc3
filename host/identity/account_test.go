package identity

import (
	"errors"
	"testing"
	"time"

	"github.com/walkerhost/walkerhost/host/graph"
)

func TestService_RenameAndPassword(t *testing.T) {
	db := openDB(t)
	tok, _ := NewTokens(testSecret, "HS256", time.Hour)
	s := New(db, func(string) (graph.ID, error) { return graph.NewID(), nil }, tok)
	u, err := s.Register("app", "ann", "pw")
	if err != nil {
		t.Fatal(err)
	}
	s.Register("app", "ben", "pw")
	if _, err := s.Root("app", "ann"); err != nil { // fill the cache
		t.Fatal(err)
	}
	old, _ := tok.Issue("app", "ann", u.Root)
	if _, root, err := s.Authenticate("app", old); err != nil || root != u.Root {
		t.Fatalf("Authenticate = %v, %v", root, err)
	}
	if _, err := s.Rename("app", "ben", "ann", "x"); !errors.Is(err, ErrForbidden) {
		t.Fatalf("rename by another: %v", err)
	}
	if _, err := s.Rename("app", "ann", "ann", "ben"); !errors.Is(err, ErrUserExists) {
		t.Fatalf("rename onto taken name: %v", err)
	}
	r, err := s.Rename("app", "ann", "ann", "anna")
	if err != nil || r.Root != u.Root || r.Username != "anna" {
		t.Fatalf("Rename = %+v, %v", r, err)
	}
	if _, err := s.Root("app", "ann"); !errors.Is(err, ErrInvalidToken) {
		t.Fatalf("old name still resolves: %v", err)
	}
	if root, _ := s.Root("app", "anna"); root != u.Root {
		t.Fatal("root changed")
	}
	if _, err := s.Register("app", "ann", "pw2"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Authenticate("app", old); !errors.Is(err, ErrInvalidToken) {
		t.Fatalf("token for a name registered again: %v", err)
	}
	if err := s.ChangePassword("app", "anna", "anna", "wrong", "new"); !errors.Is(err, ErrInvalidCredentials) {
		t.Fatalf("wrong current: %v", err)
	}
	if err := s.ChangePassword("app", "ben", "anna", "pw", "new"); !errors.Is(err, ErrForbidden) {
		t.Fatalf("by another: %v", err)
	}
	if err := s.ChangePassword("app", "anna", "anna", "pw", "new"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Login("app", "anna", "new"); err != nil {
		t.Fatal(err)
	}
}

// TestAuthenticate_OtherApp: a token carries its app; another app refuses
// it even for a same-named user whose root the token names.
func TestAuthenticate_OtherApp(t *testing.T) {
	db := openDB(t)
	tok, _ := NewTokens(testSecret, "HS256", time.Hour)
	shared := graph.NewID()
	s := New(db, func(string) (graph.ID, error) { return shared, nil }, tok)
	for _, app := range []string{"a", "b"} {
		if _, err := s.Register(app, "ann", "pw"); err != nil {
			t.Fatal(err)
		}
	}
	token, _ := tok.Issue("a", "ann", shared)
	if _, _, err := s.Authenticate("a", token); err != nil {
		t.Fatalf("own app: %v", err)
	}
	if _, _, err := s.Authenticate("b", token); !errors.Is(err, ErrInvalidToken) {
		t.Fatalf("other app: got %v, want ErrInvalidToken", err)
	}
}
