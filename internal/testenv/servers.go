package testenv

import (
	"testing"

	"github.com/walkerhost/walkerhost/internal/dbserver"
)

// Server is a real database server (Redis or FerretDB, a MongoDB-wire
// server) running as a child process on a loopback port, stopped when the
// test ends. The binaries come from scripts/deps.sh, which `make test` runs
// first.
type Server struct {
	*dbserver.Server
}

// StartRedis starts a Redis server for this test alone, stopped when the
// test ends. Data is kept in memory only.
func StartRedis(t testing.TB) *Server {
	t.Helper()
	return started(t)(dbserver.StartRedis())
}

// StartMongo starts FerretDB (SQLite backend, data in a temporary folder)
// for this test alone, stopped when the test ends.
func StartMongo(t testing.TB) *Server {
	t.Helper()
	return started(t)(dbserver.StartMongo())
}

// started fails the test when a server did not start and registers its
// Stop.
func started(t testing.TB) func(*dbserver.Server, error) *Server {
	return func(s *dbserver.Server, err error) *Server {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(s.Stop)
		return &Server{s}
	}
}

// Stop kills the server, keeping its data for Restart; it is safe to call
// twice. The test's cleanup removes the data.
func (s *Server) Stop() { s.Kill() }

// Restart starts a stopped server again on the same address, with the data
// it kept on disk (none for Redis).
func (s *Server) Restart(t testing.TB) {
	t.Helper()
	if err := s.Server.Restart(); err != nil {
		t.Fatal(err)
	}
}
