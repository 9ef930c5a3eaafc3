package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/walkerhost/walkerhost/host"
	"github.com/walkerhost/walkerhost/host/config"
	"github.com/walkerhost/walkerhost/internal/server"
)

var startCommand = command{
	name: "start", args: []string{"APP"}, summary: "serve a module over HTTP",
	about: "Serves APP, a .wasm module or a guest source folder (built first), with the settings of\n" +
		"APP/jac.toml, the environment and the flags. Prints the URL, the route table and the docs URL;\n" +
		"stops on Ctrl-C or SIGTERM after the requests in flight. With --scale it deploys APP to the\n" +
		"cluster of the current kubeconfig instead ('jac start APP --scale --help'; docs/DEPLOY.md).",
	setup: func(fs *flagSet) runner {
		var f hostFlags
		var s startFlags
		f.register(fs, true)
		fs.boolean(&s.reload, "reload", "JAC_RELOAD", "build and serve APP, a guest folder or a Jac app, again when its .go files or go.mod (its .jac files) change")
		fs.str(&s.workers, "workers", "JAC_WORKERS", "all cores", "CPU cores the one host process runs requests on at once (GOMAXPROCS; no worker processes are started)")
		return func(args []string, stdout, stderr io.Writer) error { return runStart(args[0], &f, &s, stdout, stderr) }
	},
}

// startFlags are jac start's own flags.
type startFlags struct {
	reload  bool
	workers string
}

func runStart(app string, f *hostFlags, s *startFlags, stdout, stderr io.Writer) error {
	stderr = &console{w: stderr}
	if s.reload && !fileExists(filepath.Join(app, "go.mod")) && jacEntry(app) == "" {
		return usageErr("--reload watches a guest folder or a Jac app; %s is neither", app)
	}
	if s.workers != "" {
		n, err := strconv.Atoi(s.workers)
		if err != nil || n < 1 {
			return usageErr("--workers %q: want a number of cores, at least 1", s.workers)
		}
		runtime.GOMAXPROCS(n)
		fmt.Fprintln(stdout, workersNote(n))
	}
	cfg, err := f.load(app)
	if err != nil {
		return err
	}
	log := newLogger(cfg.LogFormat, stderr)
	defer closeLog(log)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	name, wasm, err := loadModule(ctx, app, stderr)
	if err != nil {
		return err
	}
	var h *host.Host
	err = step(stderr, "loading module "+name, func() (err error) {
		h, err = host.Open(ctx, cfg, name, wasm, log, host.WithSource(compileJacSource))
		return err
	})
	if err != nil {
		return lockedHint(err, cfg.DataDir)
	}
	defer h.Close()
	if s.reload {
		wctx, stopWatch := context.WithCancel(ctx)
		watched := make(chan struct{})
		go func() { defer close(watched); watchGuest(wctx, h, app, name, stdout, stderr) }()
		defer func() { stopWatch(); <-watched }()
	}
	return serve(ctx, h, cfg, stdout)
}

// workersNote is what the banner says of --workers: unlike uvicorn's, it
// starts no processes. One process serves every request, on up to n cores
// at once; the embedded store admits one process, and replicas (--scale)
// are how a deployment gets more processes.
func workersNote(n int) string {
	return fmt.Sprintf("workers: %d cores (GOMAXPROCS): one process runs up to %d requests' Go code at once; no worker processes are started (use --scale for replicas)", n, n)
}

func serve(ctx context.Context, h *host.Host, cfg config.Config, stdout io.Writer) error {
	addr := net.JoinHostPort(cfg.Host, strconv.Itoa(cfg.Port))
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	url := "http://" + ln.Addr().String()
	m := h.Module()
	fmt.Fprintf(stdout, "serving module %q (ABI v%d, %s) at %s\n\n", m.Name, m.Manifest.ABI, m.Manifest.SDK, url)
	printRoutes(stdout, h.Routes())
	fmt.Fprintf(stdout, "\ndocs: %s/docs\n", url)
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

// printRoutes writes the route table: method, path, auth and kind.
func printRoutes(w io.Writer, routes []server.Route) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "METHOD\tPATH\tAUTH\tKIND")
	for _, r := range routes {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.Method, r.Path, r.Auth, r.Kind)
	}
	tw.Flush()
}
