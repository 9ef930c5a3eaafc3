package kv_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/walkerhost/walkerhost/abi"
	"github.com/walkerhost/walkerhost/internal/kv"
)

func TestService_Open_Errors(t *testing.T) {
	s := kv.New(kv.Options{RedisURL: "redis://127.0.0.1:1/0", AllowedURIs: []string{"redis://127.0.0.1:2/0", "http://127.0.0.1:3/"}})
	defer s.Close(context.Background())
	tests := []struct {
		name               string
		app, kind, db, uri string
		want               error
	}{
		{"unknown kind", "a", "memcached", "db", "", kv.ErrInvalid},
		{"empty kind", "a", "", "db", "", kv.ErrInvalid},
		{"empty db", "a", abi.KindRedis, "", "", kv.ErrInvalid},
		{"db with colon", "a", abi.KindRedis, "x:y", "", kv.ErrInvalid},
		{"db with dot", "a", abi.KindMongoDB, "x.y", "", kv.ErrInvalid},
		{"db with glob", "a", abi.KindRedis, "x*", "", kv.ErrInvalid},
		{"db too long", "a", abi.KindRedis, string(make([]byte, 65)), "", kv.ErrInvalid},
		{"app with colon", "a:b", abi.KindRedis, "db", "", kv.ErrInvalid},
		{"unlisted uri", "a", abi.KindRedis, "db", "redis://10.0.0.1:6379/0", kv.ErrDenied},
		{"unlisted host in a listed form", "a", abi.KindRedis, "db", "redis://127.0.0.1:2/1", kv.ErrDenied},
		{"listed uri of another scheme", "a", abi.KindRedis, "db", "http://127.0.0.1:3/", kv.ErrInvalid},
		{"redis uri for mongodb", "a", abi.KindMongoDB, "db", "redis://127.0.0.1:2/0", kv.ErrInvalid},
		{"no mongodb configured", "a", abi.KindMongoDB, "db", "", kv.ErrUnavailable},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := s.Open(tc.app, tc.kind, tc.db, tc.uri, 0); !errors.Is(err, tc.want) {
				t.Fatalf("Open = %v, want %v", err, tc.want)
			}
		})
	}
	for _, uri := range []string{"", "redis://127.0.0.1:1/0", "redis://127.0.0.1:2/0"} {
		if _, err := s.Open("a", abi.KindRedis, "db", uri, 0); err != nil {
			t.Fatalf("Open(%q) = %v", uri, err)
		}
	}
}

// TestService_Pool_Hammer opens stores from many goroutines: each server
// URI gets exactly one client, shared.
func TestService_Pool_Hammer(t *testing.T) {
	s := kv.New(kv.Options{RedisURL: "redis://127.0.0.1:1/0", MongoURI: "mongodb://127.0.0.1:1/",
		AllowedURIs: []string{"redis://127.0.0.1:2/0", "mongodb://127.0.0.1:2/"}})
	var wg sync.WaitGroup
	for i := range 32 {
		wg.Go(func() {
			kind, uri := abi.KindRedis, ""
			if i%2 == 1 {
				kind = abi.KindMongoDB
			}
			if i%4 >= 2 {
				uri = map[string]string{abi.KindRedis: "redis://127.0.0.1:2/0", abi.KindMongoDB: "mongodb://127.0.0.1:2/"}[kind]
			}
			if _, err := s.Open("app", kind, "db", uri, 0); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := s.Clients(); n != 4 {
		t.Fatalf("%d clients, want one per URI (4)", n)
	}
	if err := s.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := s.Clients(); n != 0 {
		t.Fatalf("%d clients after Close", n)
	}
	if _, err := s.Open("app", abi.KindRedis, "db", "", 0); !errors.Is(err, kv.ErrUnavailable) {
		t.Fatalf("Open after Close = %v", err)
	}
}

func TestUnsupportedError(t *testing.T) {
	tests := []struct {
		method, kind, want string
	}{
		{"find_one", abi.KindRedis, "kv: find_one is not supported for Redis (it is a MongoDB method)"},
		{"set_with_ttl", abi.KindMongoDB, "kv: set_with_ttl is not supported for MongoDB (it is a Redis method)"},
	}
	for _, tc := range tests {
		err := error(&kv.UnsupportedError{Method: tc.method, Kind: tc.kind})
		if err.Error() != tc.want || !errors.Is(err, kv.ErrUnsupported) {
			t.Fatalf("%v (is ErrUnsupported: %v), want %q", err, errors.Is(err, kv.ErrUnsupported), tc.want)
		}
	}
}
