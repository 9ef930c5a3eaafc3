package testenv

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"path/filepath"
	"testing"
	"time"

	"github.com/walkerhost/walkerhost/host"
	"github.com/walkerhost/walkerhost/host/config"
)

// Host is a real host serving on a loopback port.
type Host struct {
	*host.Host
	URL     string
	Config  config.Config
	stopped bool
}

// Config returns a test configuration: defaults with a fresh data directory
// and a fixed JWT secret.
func Config(t testing.TB) config.Config {
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	cfg.CacheDir = filepath.Join(CacheDir(), "wazero")
	cfg.JWTSecret = "test-secret-0123456789abcdef"
	cfg.PoolSize = 4
	return cfg
}

// Start opens a host with cfg serving wasm as module name and serves it on
// 127.0.0.1 until the test ends.
func Start(t testing.TB, cfg config.Config, name string, wasm []byte) *Host {
	t.Helper()
	return start(t, cfg, name, wasm)
}

// StartApp is Start serving the module as app, the namespace of its graph,
// files and key-value stores: hosts of different apps on the same servers
// and storage path must not see each other's data.
func StartApp(t testing.TB, cfg config.Config, app, name string, wasm []byte) *Host {
	t.Helper()
	return start(t, cfg, name, wasm, host.WithApp(app))
}

func start(t testing.TB, cfg config.Config, name string, wasm []byte, opts ...host.Option) *Host {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		log = slog.New(slog.NewTextHandler(testWriter{t}, nil))
	}
	return StartLogged(t, cfg, name, wasm, log, opts...)
}

// StartLogged is Start with the host logging to log.
func StartLogged(t testing.TB, cfg config.Config, name string, wasm []byte, log *slog.Logger, opts ...host.Option) *Host {
	t.Helper()
	h, err := tryStart(t, cfg, name, wasm, log, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// TryStart is Start returning the host's refusal of the module, for tests
// that expect some modules not to load yet.
func TryStart(t testing.TB, cfg config.Config, name string, wasm []byte) (*Host, error) {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		log = slog.New(slog.NewTextHandler(testWriter{t}, nil))
	}
	return tryStart(t, cfg, name, wasm, log)
}

func tryStart(t testing.TB, cfg config.Config, name string, wasm []byte, log *slog.Logger, opts ...host.Option) (*Host, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	url := "http://" + ln.Addr().String()
	if cfg.SSOHost == "" {
		cfg.SSOHost = url // SSO callbacks come back to this listener
	}
	hh, err := host.Open(context.Background(), cfg, name, wasm, log, opts...)
	if err != nil {
		ln.Close()
		return nil, fmt.Errorf("host.Open: %w", err)
	}
	h := &Host{Host: hh, URL: url, Config: cfg}
	go func() { _ = hh.Serve(ln) }()
	t.Cleanup(h.Stop)
	return h, nil
}

// Stop shuts the host down and closes its store; it is safe to call twice.
func (h *Host) Stop() {
	if h.stopped {
		return
	}
	h.stopped = true
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = h.Shutdown(ctx)
	_ = h.Close()
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) { w.t.Log(string(p)); return len(p), nil }
