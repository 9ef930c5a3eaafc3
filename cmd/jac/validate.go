package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/walkerhost/walkerhost/abi"
	"github.com/walkerhost/walkerhost/host"
	"github.com/walkerhost/walkerhost/host/config"
	"github.com/walkerhost/walkerhost/internal/server"
)

var validateCommand = command{
	name: "validate", args: []string{"APP"}, summary: "check jac.toml and the module without serving",
	about: "Checks the configuration of APP (its jac.toml and the environment) and loads its module, a\n" +
		"guest folder being built first. Prints every problem with the file, line and key it concerns\n" +
		"and the rule to follow, or a summary when all is well; exits with 1 when there are problems.",
	setup: func(fs *flagSet) runner {
		var f hostFlags
		f.registerConfig(fs)
		return func(args []string, stdout, stderr io.Writer) error { return runValidate(args[0], &f, stdout, stderr) }
	},
}

func runValidate(app string, f *hostFlags, stdout, stderr io.Writer) error {
	path := f.tomlPath(app)
	cfg, probs := config.Check(path, f.getenv)
	for _, p := range probs {
		fmt.Fprintln(stdout, p)
	}
	if len(probs) > 0 {
		lenient := config.Default()
		lenient.CacheDir = cfg.CacheDir
		cfg = lenient // still check the module, with sane limits
	} else if _, err := os.Stat(path); err == nil {
		fmt.Fprintf(stdout, "%s: ok\n", path)
	} else {
		fmt.Fprintf(stdout, "%s: none; defaults and the environment apply\n", path)
	}
	n := len(probs)
	man, routes, err := describeApp(app, cfg, stderr)
	if err != nil {
		if msg := err.Error(); strings.HasPrefix(msg, app+":") {
			fmt.Fprintln(stdout, msg) // a Jac build error names its file:line:col
		} else {
			fmt.Fprintf(stdout, "%s: %v\n", app, err)
		}
		n++
	} else {
		fmt.Fprintf(stdout, "module %s: ok: %s\n", app, summary(man, routes))
	}
	if n > 0 {
		return fmt.Errorf("%d %s", n, plural(n, "problem"))
	}
	return nil
}

// describeApp builds and loads app's module as validate and routes do.
func describeApp(app string, cfg config.Config, stderr io.Writer) (*abi.Manifest, []server.Route, error) {
	ctx := context.Background()
	name, wasm, err := loadModule(ctx, app, stderr)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			return nil, nil, pe.Err
		}
		return nil, nil, err
	}
	return host.Describe(ctx, cfg, name, wasm, newLogger("text", io.Discard))
}

func summary(m *abi.Manifest, routes []server.Route) string {
	return fmt.Sprintf("%d %s, %d %s, %d node %s, %d edge %s, %d %s",
		len(m.Walkers), plural(len(m.Walkers), "walker"), len(m.Functions), plural(len(m.Functions), "function"),
		len(m.Nodes), plural(len(m.Nodes), "type"), len(m.Edges), plural(len(m.Edges), "type"),
		len(routes), plural(len(routes), "route"))
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}
