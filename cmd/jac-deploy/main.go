// Command jac-deploy is jac's deploy tool. jac start --scale, jac status,
// jac scale and jac destroy parse their command line and run
//
//	jac-deploy start APP | status APP | scale APP N | destroy APP
//
// with their flags turned into their environment twins and JAC_CONFIG
// naming the jac.toml (docs/DEPLOY.md). It is a binary of its own because
// it links the Kubernetes client and the image registry clients, which
// jac, the binary that serves and goes into the image, does not need.
package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/walkerhost/walkerhost/deploy"
	_ "github.com/walkerhost/walkerhost/deploy/kubernetes" // the kubernetes target
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// commands are jac-deploy's commands, by the jac command that runs them,
// with their positional arguments.
var commands = map[string]struct {
	args int
	run  func(pos []string, stdout io.Writer) error
}{
	"start":   {1, runDeploy},
	"status":  {1, runStatus},
	"scale":   {2, runScaleReplicas},
	"destroy": {1, runDestroy},
}

// run runs a command and returns the exit code: 0, 1 for a failed
// command, 2 for a command line that is not one. Errors read as jac's.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: jac-deploy start|status|scale|destroy APP [N]; jac runs it (jac start APP --scale, jac status APP ...)")
		return 2
	}
	c, ok := commands[args[0]]
	if !ok || len(args)-1 != c.args {
		fmt.Fprintf(stderr, "jac-deploy: %q is not a command line of jac-deploy; jac runs it (jac start APP --scale, jac status APP ...)\n", args)
		return 2
	}
	if err := c.run(args[1:], stdout); err != nil {
		fmt.Fprintf(stderr, "jac %s: %v\n", args[0], err)
		return 1
	}
	return 0
}

// config loads the settings (the jac.toml JAC_CONFIG names, the
// environment) and validates them.
func config() (deploy.Config, error) {
	cfg, err := deploy.Load(os.Getenv("JAC_CONFIG"), os.Getenv)
	if err != nil {
		return cfg, err
	}
	return cfg, cfg.Validate()
}

// app resolves APP for status, scale and destroy: a module file, a folder,
// or just the app's name, which is enough to find a deployed app.
func app(app string) (deploy.Target, deploy.App, error) {
	cfg, err := config()
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

func envBool(name string) bool {
	v, _ := strconv.ParseBool(os.Getenv(name))
	return v
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}
