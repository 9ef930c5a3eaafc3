package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/walkerhost/walkerhost/host"
	"github.com/walkerhost/walkerhost/host/config"
	"github.com/walkerhost/walkerhost/internal/build"
)

// startFlags are the flags of jac start; each has an environment twin that
// config.Load reads, and a flag that is given wins over it.
type startFlags struct {
	host, port, dataDir, configPath, logFormat string
}

func (f *startFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.host, "host", "", "address to listen on (env JAC_HOST, default 127.0.0.1)")
	fs.StringVar(&f.port, "port", "", "port to listen on (env JAC_PORT, default 8000)")
	fs.StringVar(&f.dataDir, "data-dir", "", "data directory of the embedded store (env JAC_DATA_DIR, default .jac/data)")
	fs.StringVar(&f.configPath, "config", os.Getenv("JAC_CONFIG"), "jac.toml to read (env JAC_CONFIG, default APP/jac.toml)")
	fs.StringVar(&f.logFormat, "log-format", "", "text or json (env JAC_LOG_FORMAT)")
}

// overrides are the flags given, as the environment names they override.
func (f *startFlags) overrides() map[string]string {
	return map[string]string{"JAC_HOST": f.host, "JAC_PORT": f.port, "JAC_DATA_DIR": f.dataDir, "JAC_LOG_FORMAT": f.logFormat}
}

func runStart(args []string, stdout, stderr io.Writer) error {
	var f startFlags
	fs := flag.NewFlagSet("jac start", flag.ContinueOnError)
	fs.SetOutput(stderr)
	f.register(fs)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: jac start APP [flags]\n\nAPP is a .wasm module or a guest source folder (built first).\n\nflags:")
		fs.PrintDefaults()
	}
	app, err := parseWithApp(fs, args)
	if err != nil {
		return err
	}
	cfg, err := loadConfig(app, &f)
	if err != nil {
		return err
	}
	log := newLogger(cfg.LogFormat, stderr)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	name, wasm, err := loadModule(ctx, app, stdout)
	if err != nil {
		return err
	}
	h, err := host.Open(ctx, cfg, name, wasm, log)
	if err != nil {
		return err
	}
	defer h.Close()
	return serve(ctx, h, cfg, stdout)
}

// parseWithApp parses flags that may come before or after the APP argument.
func parseWithApp(fs *flag.FlagSet, args []string) (string, error) {
	if err := fs.Parse(args); err != nil {
		return "", err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return "", errors.New("missing APP")
	}
	app := fs.Arg(0)
	if err := fs.Parse(fs.Args()[1:]); err != nil {
		return "", err
	}
	if fs.NArg() > 0 {
		return "", fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	return app, nil
}

func loadConfig(app string, f *startFlags) (config.Config, error) {
	path := f.configPath
	if path == "" {
		dir := app
		if strings.HasSuffix(app, ".wasm") {
			dir = filepath.Dir(app)
		}
		path = filepath.Join(dir, "jac.toml")
	}
	over := f.overrides()
	getenv := func(k string) string {
		if v := over[k]; v != "" {
			return v
		}
		return os.Getenv(k)
	}
	cfg, err := config.Load(path, getenv)
	if err != nil {
		return cfg, err
	}
	return cfg, cfg.Validate()
}

// loadModule reads a .wasm file, or builds a guest folder first.
func loadModule(ctx context.Context, app string, stdout io.Writer) (string, []byte, error) {
	app = prebuilt(app)
	path := app
	if !strings.HasSuffix(app, ".wasm") {
		fmt.Fprintf(stdout, "building %s ...\n", app)
		start := time.Now()
		var err error
		if path, err = build.Module(ctx, app); err != nil {
			return "", nil, err
		}
		fmt.Fprintf(stdout, "built %s in %s\n", path, time.Since(start).Round(time.Millisecond))
	}
	wasm, err := os.ReadFile(path)
	if err != nil {
		return "", nil, err
	}
	return strings.TrimSuffix(filepath.Base(path), ".wasm"), wasm, nil
}

func serve(ctx context.Context, h *host.Host, cfg config.Config, stdout io.Writer) error {
	addr := net.JoinHostPort(cfg.Host, strconv.Itoa(cfg.Port))
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	printBanner(stdout, h, "http://"+ln.Addr().String())
	done := make(chan error, 1)
	go func() { done <- h.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	fmt.Fprintln(stdout, "shutting down ...")
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return h.Shutdown(sctx)
}

func printBanner(w io.Writer, h *host.Host, url string) {
	m := h.Module()
	fmt.Fprintf(w, "serving module %q (ABI v%d, %s) at %s\n\n", m.Name, m.Manifest.ABI, m.Manifest.SDK, url)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "METHOD\tPATH\tAUTH")
	for _, r := range h.Routes() {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", r.Method, r.Path, r.Auth)
	}
	tw.Flush()
	fmt.Fprintln(w)
}

func newLogger(format string, w io.Writer) *slog.Logger {
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, nil))
	}
	return slog.New(slog.NewTextHandler(w, nil))
}
