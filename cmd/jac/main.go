// Command jac builds walker modules, checks them and serves them.
//
//	jac start APP       serve a module (docs/CLI.md lists every command)
//	jac build DIR       compile a guest folder
//	jac routes APP      print the route table
//	jac validate APP    check jac.toml and the module
//	jac call APP NAME   run a walker or function once, without a server
//	jac new DIR         write a new guest folder
//	jac push MODULE     upload a module to a running host's app and activate it
//	jac start APP --scale [--build] [--target kubernetes] [--registry R]
//	jac status APP | jac scale APP N | jac destroy APP [--purge]
//	jac version
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
)

// Version is the host's version, set at link time by the Makefile.
var Version = "0.1.0-dev"

// command is one subcommand: its positional arguments, its help, and setup,
// which registers its flags and returns what runs it.
type command struct {
	name    string
	args    []string // names of the positional arguments
	summary string   // one line, for jac --help
	about   string   // the paragraph of jac COMMAND --help
	setup   func(fs *flagSet) runner
	// raw, when set, runs instead of setup with the unparsed arguments: the
	// deploy commands parse their own flags (docs/DEPLOY.md).
	raw runner
}

// The deploy commands, and jac start --scale.
var (
	statusCommand = command{name: "status", args: []string{"APP"}, summary: "show a deployed app's pods, readiness, image and URL",
		raw: runStatus}
	scaleCommand = command{name: "scale", args: []string{"APP", "N"}, summary: "run N replicas of a deployed app",
		raw: runScaleReplicas}
	destroyCommand = command{name: "destroy", args: []string{"APP"}, summary: "remove a deployed app (--purge: its database volumes too)",
		raw: runDestroy}
	deployCommand = command{name: "start", raw: runDeploy}
)

// runner runs a command with its positional arguments.
type runner func(args []string, stdout, stderr io.Writer) error

func commands() []command {
	return []command{startCommand, buildCommand, runCommand, routesCommand, validateCommand, callCommand, newCommand, pushCommand,
		statusCommand, scaleCommand, destroyCommand, versionCommand}
}

var versionCommand = command{
	name: "version", summary: "print the version",
	about: "Prints the version of jac and the walker ABI it speaks.",
	setup: func(*flagSet) runner {
		return func(_ []string, stdout, _ io.Writer) error {
			fmt.Fprintf(stdout, "jac %s (walker ABI v1)\n", Version)
			return nil
		}
	},
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run runs the command line args and returns the exit code: 0, 1 for a
// failed command, 2 for a command line that is not understood.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr) // no command is a command line not understood
		return 2
	}
	if isHelp(args[0]) || args[0] == "help" && len(args) == 1 {
		usage(stdout)
		return 0
	}
	name, rest := args[0], args[1:]
	if name == "help" {
		name, rest = args[1], []string{"--help"}
	}
	for _, c := range commands() {
		if c.name == name {
			return c.run(rest, stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "jac: unknown command %q\n\n", name)
	usage(stderr)
	return 2
}

func (c command) run(args []string, stdout, stderr io.Writer) int {
	if c.name == "start" && scaleRequested(args) {
		c = deployCommand
	}
	if c.raw != nil {
		usageTo := stderr // the deploy commands print their usage there
		if slices.ContainsFunc(args, isHelp) {
			usageTo = stdout
		}
		err := c.raw(args, stdout, usageTo)
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return c.exit(err, nil, stderr)
	}
	fs := newFlagSet(c, stderr, os.Getenv)
	r := c.setup(fs)
	for _, a := range args {
		if a == "--" {
			break
		}
		if isHelp(a) {
			fs.usage(stdout)
			return 0
		}
	}
	pos, err := fs.parse(args)
	if err == nil {
		err = r(pos, stdout, stderr)
	}
	return c.exit(err, fs, stderr)
}

// exit reports err and returns the exit code: 0, 2 for a command line that
// does not fit (with the usage, when fs is known), 1 for a failure.
func (c command) exit(err error, fs *flagSet, stderr io.Writer) int {
	var code exitCode
	switch {
	case err == nil:
		return 0
	case errors.As(err, &code): // reported by the command itself
		return int(code)
	case errors.Is(err, errUsage):
		fmt.Fprintf(stderr, "jac %s: %v\n\n", c.name, err)
		if fs != nil {
			fs.usage(stderr)
		}
		return 2
	}
	fmt.Fprintf(stderr, "jac %s: %v\n", c.name, err)
	return 1
}

func isHelp(a string) bool { return a == "-h" || a == "-help" || a == "--help" }

func usage(w io.Writer) {
	fmt.Fprintln(w, "jac: build, check and serve walker modules\n\nusage:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  jac %-22s %s\n", strings.TrimSpace(c.name+" "+strings.Join(c.args, " ")), c.summary)
	}
	fmt.Fprintln(w, "\nRun 'jac COMMAND --help' for a command's flags; every flag has an environment twin.")
}

// errUsage marks a command line that does not fit the command.
var errUsage = errors.New("usage")

// usageErr is a command-line error, answered with the command's usage.
func usageErr(format string, args ...any) error {
	return fmt.Errorf("%w: %s", errUsage, fmt.Sprintf(format, args...))
}
