package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// deployFlags are the flags of jac start --scale, jac status, jac scale and
// jac destroy. Flags that are settings override them (and so their
// environment twins); --scale, --build and --purge read JAC_SCALE,
// JAC_SCALE_BUILD and JAC_DESTROY_PURGE. jac parses them, answering
// --help and a command line that does not fit itself; the work is
// jac-deploy's (cmd/jac-deploy), run with the flags as environment, so that
// jac, which serves and goes into the image, links no Kubernetes client.
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

// env returns the environment jac-deploy runs in: this process's, with the
// flags given laid over their environment twins (a flag wins, as it does
// everywhere) and JAC_CONFIG resolved for app. A flag whose value has the
// wrong form is refused here, with the flag's name.
func (f *deployFlags) env(command, app string) ([]string, error) {
	path := f.configPath
	if path == "" {
		dir := app
		if strings.HasSuffix(app, ".wasm") {
			dir = filepath.Dir(app)
		}
		path = filepath.Join(dir, "jac.toml")
	}
	if f.replicas != "" {
		if _, err := strconv.Atoi(f.replicas); err != nil {
			return nil, fmt.Errorf("--replicas %q: want a number", f.replicas)
		}
	}
	if f.timeout != "" {
		if _, err := time.ParseDuration(f.timeout); err != nil {
			return nil, fmt.Errorf("--timeout %q: want a duration such as 5m", f.timeout)
		}
	}
	env := append(os.Environ(), "JAC_CONFIG="+path)
	for _, o := range []struct{ name, flag string }{
		{"K8s_NAMESPACE", f.namespace}, {"JAC_SCALE_TARGET", f.target}, {"JAC_REGISTRY", f.registry},
		{"K8s_REPLICAS", f.replicas}, {"K8s_ROLLOUT_TIMEOUT", f.timeout},
	} {
		if o.flag != "" {
			env = append(env, o.name+"="+o.flag)
		}
	}
	switch command {
	case "start":
		env = append(env, "JAC_SCALE_BUILD="+strconv.FormatBool(f.build))
	case "destroy":
		env = append(env, "JAC_DESTROY_PURGE="+strconv.FormatBool(f.purge))
	}
	if exe, err := os.Executable(); err == nil {
		env = append(env, "JAC_BIN="+exe) // the host an image gets unless JAC_HOST_BINARY names one
	}
	return env, nil
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
	env, err := f.env("start", app)
	if err != nil {
		return err
	}
	if f.build { // building a module is jac's work: jac-deploy gets the module
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		name, wasm, err := loadModule(ctx, app, stdout)
		stop()
		if err != nil {
			return err
		}
		dir, err := os.MkdirTemp("", "jac-deploy-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		app = filepath.Join(dir, name+".wasm")
		if err := os.WriteFile(app, wasm, 0o600); err != nil {
			return err
		}
	}
	return runScaleTool(env, stdout, stderr, "start", app)
}

// runScaleTool runs jac-deploy, the deploy tool, with a command line jac
// has parsed; jac-deploy reports its own errors, so a failure comes back
// as its exit code only.
func runScaleTool(env []string, stdout, stderr io.Writer, args ...string) error {
	tool, err := scaleTool()
	if err != nil {
		return err
	}
	cmd := exec.Command(tool, args...)
	cmd.Env, cmd.Stdin, cmd.Stdout, cmd.Stderr = env, os.Stdin, stdout, stderr
	if err := cmd.Start(); err != nil {
		return err
	}
	// jac-deploy stops cleanly on SIGINT and SIGTERM (a deploy says where it
	// stood); jac waits for it rather than leave it running.
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	done := make(chan struct{})
	defer close(done)
	go func() {
		for {
			select {
			case s := <-sigs:
				cmd.Process.Signal(s)
			case <-done:
				return
			}
		}
	}()
	err = cmd.Wait()
	var ee *exec.ExitError
	if errors.As(err, &ee) && ee.ExitCode() > 0 {
		return exitCode(ee.ExitCode())
	}
	return err
}

// scaleTool finds jac-deploy: beside this jac, else on PATH.
func scaleTool() (string, error) {
	if exe, err := os.Executable(); err == nil {
		p := filepath.Join(filepath.Dir(exe), "jac-deploy")
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	if p, err := exec.LookPath("jac-deploy"); err == nil {
		return p, nil
	}
	return "", errors.New("the deploy commands run jac-deploy, the deploy tool, which is neither beside this jac nor on PATH; " +
		"build it with make jac-deploy (go build -o bin/jac-deploy ./cmd/jac-deploy), docs/DEPLOY.md")
}

// exitCode is a command that failed and said why itself: jac exits with
// the code, printing nothing more.
type exitCode int

func (e exitCode) Error() string { return "exit status " + strconv.Itoa(int(e)) }
