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
	old, _ := tok.Issue("ann", u.Root)
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
