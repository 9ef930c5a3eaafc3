// Package dbserver runs real database servers (Redis, and FerretDB as the
// MongoDB-wire server) as child processes on loopback ports, for tests
// (through internal/testenv) and for the benchmark report. The binaries come
// from scripts/deps.sh, which `make test` and `make bench` run first.
package dbserver

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// ErrMissing means a server binary is not installed; scripts/deps.sh
// installs them.
var ErrMissing = errors.New("dbserver: binary missing; run scripts/deps.sh (make test does)")

// startTimeout bounds how long Start waits for a server's port to open.
const startTimeout = 20 * time.Second

// Server is a database server running as a child process on a loopback
// port. Stop it when done; it also dies with the process that started it.
type Server struct {
	Kind string // "redis" or "mongodb"
	Addr string // 127.0.0.1:port
	URL  string // redis://… or mongodb://…

	dir  string
	argv []string
	mu   sync.Mutex
	cmd  *exec.Cmd
	log  *bytes.Buffer
}

// StartRedis starts a Redis server that keeps its data in memory only.
func StartRedis() (*Server, error) {
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		return nil, fmt.Errorf("%w: redis-server", ErrMissing)
	}
	return start("redis", "redis://%s/0", func(host, port, dir string) []string {
		return []string{bin, "--bind", host, "--port", port, "--daemonize", "no",
			"--save", "", "--appendonly", "no", "--dir", dir}
	})
}

// StartMongo starts FerretDB with its SQLite backend, data in a temporary
// folder that Stop removes.
func StartMongo() (*Server, error) {
	bin, err := FerretDB()
	if err != nil {
		return nil, err
	}
	return start("mongodb", "mongodb://%s/", func(host, port, dir string) []string {
		return []string{bin, "--handler=sqlite", "--sqlite-url=file:" + dir + "/",
			"--state-dir=" + dir, "--listen-addr=" + net.JoinHostPort(host, port), "--debug-addr=-",
			"--telemetry=disable", "--log-level=warn"}
	})
}

func start(kind, url string, argv func(host, port, dir string) []string) (*Server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("dbserver: %w", err)
	}
	addr := ln.Addr().String()
	ln.Close()
	dir, err := os.MkdirTemp("", "walkerhost-"+kind+"-")
	if err != nil {
		return nil, fmt.Errorf("dbserver: %w", err)
	}
	host, port, _ := net.SplitHostPort(addr)
	s := &Server{Kind: kind, Addr: addr, URL: fmt.Sprintf(url, addr), dir: dir, argv: argv(host, port, dir)}
	if err := s.start(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	return s, nil
}

// Kill stops the server process and waits for it, keeping its data folder,
// so that Restart can start it again. It is safe to call twice.
func (s *Server) Kill() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Kill()
	_ = s.cmd.Wait()
	s.cmd = nil
}

// Stop kills the server and removes its data folder.
func (s *Server) Stop() {
	s.Kill()
	os.RemoveAll(s.dir)
}

// Restart kills the server and starts it again on the same address, with
// the data it kept on disk (none for Redis).
func (s *Server) Restart() error {
	s.Kill()
	return s.start()
}

// Log returns what the server printed since it last started.
func (s *Server) Log() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.log.String()
}

// start launches the process and waits until its port accepts connections.
func (s *Server) start() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	cmd := exec.Command(s.argv[0], s.argv[1:]...)
	s.log = new(bytes.Buffer)
	cmd.Stdout, cmd.Stderr = s.log, s.log
	cmd.Env = append(os.Environ(), "DO_NOT_TRACK=1")
	// The server dies with the process that started it even if Stop is
	// never called.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("dbserver: start %s: %w", s.Kind, err)
	}
	exited := make(chan struct{})
	go func() { _, _ = cmd.Process.Wait(); close(exited) }()
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
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
			return fmt.Errorf("dbserver: %s exited at start: %s", s.Kind, s.log)
		case <-ctx.Done():
			_ = cmd.Process.Kill()
			return fmt.Errorf("dbserver: %s not listening on %s after %s: %s", s.Kind, s.Addr, startTimeout, s.log)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

var ferretVersion = regexp.MustCompile(`(?m)^require github.com/FerretDB/FerretDB (v[0-9.]+)$`)

// FerretDB returns the path of the FerretDB binary of the version pinned in
// tools/ferretdb/go.mod, as built by scripts/deps.sh.
func FerretDB() (string, error) {
	mod, err := os.ReadFile(filepath.Join(RepoRoot(), "tools", "ferretdb", "go.mod"))
	if err != nil {
		return "", fmt.Errorf("dbserver: %w", err)
	}
	m := ferretVersion.FindSubmatch(mod)
	if m == nil {
		return "", errors.New("dbserver: no FerretDB version in tools/ferretdb/go.mod")
	}
	bin := filepath.Join(CacheDir(), "ferretdb-"+string(m[1]), "ferretdb")
	if _, err := os.Stat(bin); err != nil {
		return "", fmt.Errorf("%w: %s", ErrMissing, bin)
	}
	return bin, nil
}

// RepoRoot returns the repository root (the folder with go.mod and guests/).
func RepoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

// CacheDir is where built tools and artifacts are kept between runs:
// $WALKERHOST_CACHE, else the user cache directory's walkerhost folder.
func CacheDir() string {
	if d := os.Getenv("WALKERHOST_CACHE"); d != "" {
		return d
	}
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "walkerhost")
	}
	return filepath.Join(os.TempDir(), "walkerhost-cache")
}

var databases atomic.Uint64

// DatabaseName returns a MongoDB database name unique in this process and
// readable as name's (a test's name, say): letters, digits and '_'.
func DatabaseName(name string) string {
	name = strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return '_'
	}, name)
	if len(name) > 40 {
		name = name[len(name)-40:]
	}
	return fmt.Sprintf("t%d_%s", databases.Add(1), name)
}

// shared are the servers Shared starts once per process.
var shared struct {
	once         sync.Once
	redis, mongo *Server
	err          error
}

// Shared starts a Redis and a MongoDB server on its first call and returns
// the same two to every call; StopShared stops them. Tests of one binary
// share them, each with databases of its own (DatabaseName).
func Shared() (redis, mongo *Server, err error) {
	shared.once.Do(func() {
		if shared.redis, shared.err = StartRedis(); shared.err == nil {
			shared.mongo, shared.err = StartMongo()
		}
	})
	return shared.redis, shared.mongo, shared.err
}

// StopShared stops the servers Shared started, if any.
func StopShared() {
	for _, s := range []*Server{shared.redis, shared.mongo} {
		if s != nil {
			s.Stop()
		}
	}
}

// Dir is the folder the server keeps its data in.
func (s *Server) Dir() string { return s.dir }

// Pid is the server process's id, or 0 when it is not running.
func (s *Server) Pid() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil || s.cmd.Process == nil {
		return 0
	}
	return s.cmd.Process.Pid
}
