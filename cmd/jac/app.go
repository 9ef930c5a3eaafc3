package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/walkerhost/walkerhost/host/config"
	"github.com/walkerhost/walkerhost/internal/accesslog"
	"github.com/walkerhost/walkerhost/internal/build"
)

// hostFlags are the flags of the commands that run a host (start, call);
// each overrides its configuration key and has the same environment twin.
type hostFlags struct {
	host, port, dataDir, configPath, logFormat string
}

func (f *hostFlags) register(fs *flagSet, serving bool) {
	if serving {
		fs.str(&f.host, "host", "JAC_HOST", "127.0.0.1", "address to listen on")
		fs.str(&f.port, "port", "JAC_PORT", "8000", "port to listen on; 0 picks a free one")
	}
	fs.str(&f.dataDir, "data-dir", "JAC_DATA_DIR", ".jac/data", "data directory of the embedded store")
	f.registerConfig(fs)
	fs.str(&f.logFormat, "log-format", "JAC_LOG_FORMAT", "text", "log format: text or json")
}

func (f *hostFlags) registerConfig(fs *flagSet) {
	fs.str(&f.configPath, "config", "JAC_CONFIG", "APP/jac.toml", "jac.toml to read")
}

// tomlPath is the jac.toml of app: --config, else the one beside it.
func (f *hostFlags) tomlPath(app string) string {
	if f.configPath != "" {
		return f.configPath
	}
	dir := app
	if strings.HasSuffix(app, ".wasm") || strings.HasSuffix(app, ".jac") {
		dir = filepath.Dir(app)
	}
	return filepath.Join(dir, "jac.toml")
}

// getenv is the environment as config.Load sees it: the flags given win
// over the variables they twin.
func (f *hostFlags) getenv(k string) string {
	over := map[string]string{"JAC_HOST": f.host, "JAC_PORT": f.port, "JAC_DATA_DIR": f.dataDir, "JAC_LOG_FORMAT": f.logFormat}
	if v := over[k]; v != "" {
		return v
	}
	return os.Getenv(k)
}

// load reads and validates the configuration of app.
func (f *hostFlags) load(app string) (config.Config, error) {
	cfg, err := config.Load(f.tomlPath(app), f.getenv)
	if err != nil {
		return cfg, err
	}
	return cfg, cfg.Validate()
}

// loadModule reads a .wasm file, or builds a guest folder or a Jac app
// (a .jac file, or a folder holding main.jac or app.jac) first, and
// returns the module's name and bytes. Progress goes to progress.
func loadModule(ctx context.Context, app string, progress io.Writer) (string, []byte, error) {
	if entry := jacEntry(app); entry != "" {
		return loadJac(entry, progress)
	}
	app = prebuilt(app)
	path := app
	if !strings.HasSuffix(app, ".wasm") {
		err := step(progress, "building "+app, func() (err error) {
			path, err = build.Module(ctx, app)
			return err
		})
		if err != nil {
			return "", nil, err
		}
	}
	wasm, err := os.ReadFile(path)
	if err != nil {
		return "", nil, err
	}
	return strings.TrimSuffix(filepath.Base(path), ".wasm"), wasm, nil
}

// step runs one long step of a command, showing it as "what … 1.2s".
func step(w io.Writer, what string, fn func() error) error {
	c, ok := w.(*console)
	if !ok {
		c = &console{w: w}
	}
	return c.step(what, fn)
}

// console is a command's stderr, shared by its progress lines and its log:
// a log line written while a step runs moves to a line of its own, and the
// step is shown again with its time when it ends.
type console struct {
	w           io.Writer
	mu          sync.Mutex
	open        string // the step whose line waits for its time
	interrupted bool
}

func (c *console) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.open != "" && !c.interrupted {
		c.interrupted = true
		fmt.Fprintln(c.w)
	}
	return c.w.Write(p)
}

func (c *console) step(what string, fn func() error) error {
	c.mu.Lock()
	c.open, c.interrupted = what, false
	fmt.Fprintf(c.w, "%s … ", what)
	c.mu.Unlock()
	start := time.Now()
	err := fn()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.interrupted {
		fmt.Fprintf(c.w, "%s … ", what)
	}
	c.open = ""
	if err != nil {
		fmt.Fprintln(c.w, "failed")
		return err
	}
	fmt.Fprintln(c.w, time.Since(start).Round(10*time.Millisecond))
	return nil
}

func newLogger(format string, w io.Writer) *slog.Logger {
	return newLeveledLogger(format, w, slog.LevelInfo)
}

// newLeveledLogger is newLogger for records of level and above. Request
// lines wait in a buffer for up to accesslog.FlushAfter; closeLog writes
// what waits.
func newLeveledLogger(format string, w io.Writer, level slog.Level) *slog.Logger {
	return slog.New(accesslog.New(format, w, level))
}

// closeLog writes the request lines still buffered by a logger of
// newLogger; deferred where the logger is made, it runs after the host is
// closed, so no line is lost at shutdown.
func closeLog(log *slog.Logger) {
	if h, ok := log.Handler().(*accesslog.Handler); ok {
		_ = h.Close()
	}
}
