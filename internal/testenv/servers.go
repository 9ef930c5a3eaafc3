package testenv

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Server is a real database server (Redis or FerretDB, a MongoDB-wire
// server) running as a child process on a loopback port. The binaries come
// from scripts/deps.sh, which `make test` runs first.
type Server struct {
	Kind string // "redis" or "mongodb"
	Addr string // 127.0.0.1:port
	URL  string // redis://… or mongodb://…

	dir  string
	argv func(addr, dir string) []string
	mu   sync.Mutex
	cmd  *exec.Cmd
	log  *bytes.Buffer
}

// StartRedis starts a Redis server for this test alone, stopped when the
// test ends. Data is kept in memory only.
func StartRedis(t testing.TB) *Server {
	t.Helper()
	s := newServer(t, "redis", "redis://%s/0", func(addr, dir string) []string {
		host, port, _ := net.SplitHostPort(addr)
		return []string{lookPath(t, "redis-server"), "--bind", host, "--port", port,
			"--daemonize", "no", "--save", "", "--appendonly", "no", "--dir", dir}
	})
	t.Cleanup(s.Stop)
	return s
}

// StartMongo starts FerretDB (SQLite backend, data in a temporary folder)
// for this test alone, stopped when the test ends.
func StartMongo(t testing.TB) *Server {
	t.Helper()
	bin := ferretDB(t)
	s := newServer(t, "mongodb", "mongodb://%s/", func(addr, dir string) []string {
		return []string{bin, "--handler=sqlite", "--sqlite-url=file:" + dir + "/",
			"--state-dir=" + dir, "--listen-addr=" + addr, "--debug-addr=-",
			"--telemetry=disable", "--log-level=warn"}
	})
	t.Cleanup(s.Stop)
	return s
}

func newServer(t testing.TB, kind, url string, argv func(addr, dir string) []string) *Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	dir, err := os.MkdirTemp("", "walkerhost-"+kind+"-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	s := &Server{Kind: kind, Addr: addr, URL: fmt.Sprintf(url, addr), dir: dir, argv: argv}
	if err := s.start(); err != nil {
		t.Fatal(err)
	}
	return s
}

// Stop kills the server and waits for it; it is safe to call twice.
func (s *Server) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Kill()
	_ = s.cmd.Wait()
	s.cmd = nil
}

// Restart starts a stopped server again on the same address, with the data
// it kept on disk (none for Redis).
func (s *Server) Restart(t testing.TB) {
	t.Helper()
	s.Stop()
	if err := s.start(); err != nil {
		t.Fatal(err)
	}
}

// start launches the process and waits until its port accepts connections.
func (s *Server) start() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	argv := s.argv(s.Addr, s.dir)
	cmd := exec.Command(argv[0], argv[1:]...)
	s.log = new(bytes.Buffer)
	cmd.Stdout, cmd.Stderr = s.log, s.log
	cmd.Env = append(os.Environ(), "DO_NOT_TRACK=1")
	// The server dies with the test binary even if no cleanup runs.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("testenv: start %s: %w", s.Kind, err)
	}
	exited := make(chan struct{})
	go func() { _, _ = cmd.Process.Wait(); close(exited) }()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for {
		c, err := net.DialTimeout("tcp", s.Addr, 200*time.Millisecond)
		if err == nil {
			c.Close()
			s.cmd = cmd
			return nil
		}
		select {
		case <-exited:
			return fmt.Errorf("testenv: %s exited at start: %s", s.Kind, s.log)
		case <-ctx.Done():
			_ = cmd.Process.Kill()
			return fmt.Errorf("testenv: %s not listening on %s after 20s: %s", s.Kind, s.Addr, s.log)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

var ferretVersion = regexp.MustCompile(`(?m)^require github.com/FerretDB/FerretDB (v[0-9.]+)$`)

// ferretDB returns the path of the FerretDB binary of the version pinned in
// tools/ferretdb/go.mod, as built by scripts/deps.sh.
func ferretDB(t testing.TB) string {
	t.Helper()
	mod, err := os.ReadFile(filepath.Join(RepoRoot(t), "tools", "ferretdb", "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	m := ferretVersion.FindSubmatch(mod)
	if m == nil {
		t.Fatal("testenv: no FerretDB version in tools/ferretdb/go.mod")
	}
	bin := filepath.Join(CacheDir(), "ferretdb-"+string(m[1]), "ferretdb")
	if _, err := os.Stat(bin); err != nil {
		t.Fatalf("testenv: %s missing; run scripts/deps.sh (make test does)", bin)
	}
	return bin
}

func lookPath(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("testenv: %s not installed; run scripts/deps.sh (make test does)", name)
	}
	return p
}
