package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/walkerhost/walkerhost/deploy"
	"github.com/walkerhost/walkerhost/deploy/image"
	_ "github.com/walkerhost/walkerhost/deploy/kubernetes" // the kubernetes target
)

// deployFlags are the flags of jac start --scale, jac status, jac scale and
// jac destroy. Flags that are settings override them (and so their
// environment twins); --scale, --build and --purge read JAC_SCALE,
// JAC_SCALE_BUILD and JAC_DESTROY_PURGE.
type deployFlags struct {
	configPath, namespace, target, registry, replicas, timeout string
	scale, build, purge                                        bool
}

// register adds the flags command uses: start, status, scale or destroy.
func (f *deployFlags) register(fs *flag.FlagSet, command string) {
	fs.StringVar(&f.configPath, "config", os.Getenv("JAC_CONFIG"), "jac.toml to read (env JAC_CONFIG, default APP/jac.toml)")
	fs.StringVar(&f.namespace, "namespace", "", "Kubernetes namespace (env K8s_NAMESPACE, default default)")
	fs.StringVar(&f.target, "target", "", "where the app runs: kubernetes (env JAC_SCALE_TARGET)")
	fs.StringVar(&f.timeout, "timeout", "", "how long to wait for the pods (env K8s_ROLLOUT_TIMEOUT, default 5m)")
	switch command {
	case "start":
		fs.BoolVar(&f.scale, "scale", envBool("JAC_SCALE"), "deploy APP to the cluster of the current kubeconfig instead of serving it here (env JAC_SCALE)")
		fs.BoolVar(&f.build, "build", envBool("JAC_SCALE_BUILD"), "build the image from APP and this jac, and push it (env JAC_SCALE_BUILD)")
		fs.StringVar(&f.registry, "registry", "", "dockerhub, ecr, gcr or a registry address such as 127.0.0.1:5000 (env JAC_REGISTRY)")
		fs.StringVar(&f.replicas, "replicas", "", "app replicas (env K8s_REPLICAS, default 1)")
	case "destroy":
		fs.BoolVar(&f.purge, "purge", envBool("JAC_DESTROY_PURGE"), "also delete the databases' volumes and credentials (env JAC_DESTROY_PURGE)")
	}
}

func envBool(name string) bool {
	v, _ := strconv.ParseBool(os.Getenv(name))
	return v
}

// config loads the settings of app (its jac.toml, or --config, and the
// environment) and lays the flags given over them.
func (f *deployFlags) config(app string) (deploy.Config, error) {
	path := f.configPath
	if path == "" {
		dir := app
		if strings.HasSuffix(app, ".wasm") {
			dir = filepath.Dir(app)
		}
		path = filepath.Join(dir, "jac.toml")
	}
	cfg, err := deploy.Load(path, os.Getenv)
	if err != nil {
		return cfg, err
	}
	for _, o := range []struct {
		flag string
		set  func()
	}{
		{f.namespace, func() { cfg.K8sNamespace = f.namespace }},
		{f.target, func() { cfg.Target = f.target }},
		{f.registry, func() { cfg.Registry = f.registry }},
	} {
		if o.flag != "" {
			o.set()
		}
	}
	if f.replicas != "" {
		if cfg.K8sReplicas, err = strconv.Atoi(f.replicas); err != nil {
			return cfg, fmt.Errorf("--replicas %q: want a number", f.replicas)
		}
	}
	if f.timeout != "" {
		if cfg.K8sRolloutTimeout, err = time.ParseDuration(f.timeout); err != nil {
			return cfg, fmt.Errorf("--timeout %q: want a duration such as 5m", f.timeout)
		}
	}
	return cfg, cfg.Validate()
}

// app resolves APP for the deploy commands: a module file, a folder, or
// just the app's name, which is enough to find a deployed app.
func (f *deployFlags) app(app string) (deploy.Target, deploy.App, error) {
	cfg, err := f.config(app)
	if err != nil {
		return nil, deploy.App{}, err
	}
	module := moduleName(app)
	name, err := deploy.Name(cfg, module)
	if err != nil {
		return nil, deploy.App{}, err
	}
	target, err := deploy.Lookup(cfg.Target)
	return target, deploy.App{Name: name, Module: module, Config: cfg}, err
}

// moduleName is the module's name as jac build names it: the file's name
// without .wasm, or the folder's name.
func moduleName(app string) string {
	if strings.HasSuffix(app, ".wasm") {
		return strings.TrimSuffix(filepath.Base(app), ".wasm")
	}
	if abs, err := filepath.Abs(app); err == nil {
		return filepath.Base(abs)
	}
	return filepath.Base(app)
}

// scaleRequested reports whether a jac start command line asks for --scale
// (a deploy, which parses its own flags; docs/DEPLOY.md).
func scaleRequested(args []string) bool {
	for _, a := range args {
		switch strings.TrimLeft(a, "-") {
		case "scale", "scale=true", "scale=1":
			return strings.HasPrefix(a, "-")
		case "scale=false", "scale=0":
			return false
		}
	}
	return envBool("JAC_SCALE")
}

// parse parses the flags of a deploy command, placed before, between or
// after its positional arguments, and checks that there are as many of
// those as names.
func (f *deployFlags) parse(command, about string, args []string, stderr io.Writer, names ...string) ([]string, error) {
	fs := flag.NewFlagSet("jac "+command, flag.ContinueOnError)
	fs.SetOutput(stderr)
	f.register(fs, command)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: jac %s %s [flags]\n\n%s\n\nflags:\n", command, strings.Join(names, " "), about)
		fs.PrintDefaults()
	}
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if args = fs.Args(); len(args) == 0 {
			break
		}
		pos, args = append(pos, args[0]), args[1:]
	}
	if len(pos) < len(names) {
		fs.Usage()
		return nil, fmt.Errorf("missing %s", names[len(pos)])
	}
	if len(pos) > len(names) {
		return nil, fmt.Errorf("unexpected arguments %q", pos[len(names):])
	}
	return pos, nil
}

func runDeploy(args []string, stdout, stderr io.Writer) error {
	var f deployFlags
	pos, err := f.parse("start", "Deploys APP with --scale to the cluster of the current kubeconfig (KUBECONFIG, else\n"+
		"~/.kube/config) and waits until it is ready. With --build, APP (a .wasm module or a guest folder)\n"+
		"goes into a new image with this jac; without, the image last pushed for the app (or K8s_IMAGE) is\n"+
		"deployed. docs/DEPLOY.md", args, stderr, "APP")
	if err != nil {
		return err
	}
	app := pos[0]
	cfg, err := f.config(app)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	mod := image.Module{Name: moduleName(app)}
	if f.build {
		if mod.Name, mod.Wasm, err = loadModule(ctx, app, stdout); err != nil {
			return err
		}
	}
	res, err := deploy.Start(ctx, deploy.Options{Config: cfg, Module: mod, Build: f.build, Log: deploy.NewWriterLogger(stdout)})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\n%s is ready: %d %s at %s\n  image %s\n", moduleOrApp(cfg, mod.Name), res.Replicas,
		plural(res.Replicas, "replica"), res.URL, res.Image)
	return nil
}

func moduleOrApp(cfg deploy.Config, module string) string {
	if name, err := deploy.Name(cfg, module); err == nil {
		return name
	}
	return module
}
