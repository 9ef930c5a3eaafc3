package identity

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/walkerhost/walkerhost/internal/graph"
)

func TestService_RenameAndPassword(t *testing.T) {
	ctx := context.Background()
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
	old, _ := tok.Issue("app", &User{Username: "ann", Root: u.Root})
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
	if _, err := s.ChangePassword(ctx, "app", "", "anna", "anna", "wrong", "new"); !errors.Is(err, ErrInvalidCredentials) {
		t.Fatalf("wrong current: %v", err)
	}
	if _, err := s.ChangePassword(ctx, "app", "", "ben", "anna", "pw", "new"); !errors.Is(err, ErrForbidden) {
		t.Fatalf("by another: %v", err)
	}
	if _, err := s.ChangePassword(ctx, "app", "", "anna", "anna", "pw", "new"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Login(ctx, "app", "", "anna", "new"); err != nil {
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
	token, _ := tok.Issue("a", &User{Username: "ann", Root: shared})
	if _, _, err := s.Authenticate("a", token); err != nil {
		t.Fatalf("own app: %v", err)
	}
	if _, _, err := s.Authenticate("b", token); !errors.Is(err, ErrInvalidToken) {
		t.Fatalf("other app: got %v, want ErrInvalidToken", err)
	}
}

// TestService_TokenGenerations: a password change and a sign-out
// everywhere end every token issued before them, refreshes included, and
// the tokens issued after work.
func TestService_TokenGenerations(t *testing.T) {
	s := newService(t)
	u, err := s.Register("app", "ann", "pw")
	if err != nil {
		t.Fatal(err)
	}
	other, _ := s.Register("app", "ben", "pw")
	before, _ := s.Issue("app", u)
	refreshed, err := s.Refresh("app", before)
	if err != nil {
		t.Fatal(err)
	}
	bens, _ := s.Issue("app", other)
	u2, err := s.ChangePassword(ctx, "app", "", "ann", "ann", "pw", "pw2")
	if err != nil {
		t.Fatal(err)
	}
	for name, tok := range map[string]string{"issued before": before, "refreshed before": refreshed} {
		if _, _, err := s.Authenticate("app", tok); !errors.Is(err, ErrInvalidToken) {
			t.Fatalf("%s the password change: %v", name, err)
		}
		if _, err := s.Refresh("app", tok); !errors.Is(err, ErrInvalidToken) {
			t.Fatalf("refresh of a token %s the password change: %v", name, err)
		}
	}
	if _, _, err := s.Authenticate("app", bens); err != nil {
		t.Fatalf("another user's token: %v", err)
	}
	after, _ := s.Issue("app", u2)
	if _, _, err := s.Authenticate("app", after); err != nil {
		t.Fatalf("token issued after the change: %v", err)
	}
	if err := s.SignOutEverywhere("app", "ann"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Authenticate("app", after); !errors.Is(err, ErrInvalidToken) {
		t.Fatalf("token after sign-out everywhere: %v", err)
	}
	u3, err := s.Login(ctx, "app", "", "ann", "pw2")
	if err != nil {
		t.Fatal(err)
	}
	fresh, _ := s.Issue("app", u3)
	if _, _, err := s.Authenticate("app", fresh); err != nil {
		t.Fatalf("token of a new login: %v", err)
	}
	if err := s.SignOutEverywhere("app", "nobody"); !errors.Is(err, ErrInvalidToken) {
		t.Fatalf("sign-out of a missing user: %v", err)
	}
}
