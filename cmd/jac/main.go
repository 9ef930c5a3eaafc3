// Command jac builds walker modules and serves them.
//
//	jac start APP [--host H] [--port P] [--data-dir D] [--config FILE]
//	jac start APP --scale [--build] [--target kubernetes] [--registry R]
//	jac status APP | jac scale APP N | jac destroy APP [--purge]
//	jac build DIR
//	jac version
package main

import (
	"fmt"
	"io"
	"os"
)

// Version is the host's version, set at link time by the Makefile.
var Version = "0.1.0-dev"

type command struct {
	name, usage string
	run         func(args []string, stdout, stderr io.Writer) error
}

func commands() []command {
	return []command{
		{"start", "start APP      serve a .wasm module or a guest source folder (--scale: deploy it to Kubernetes)", startOrScale},
		{"build", "build DIR      compile a guest source folder to DIR/<name>.wasm", runBuild},
		{"status", "status APP     show a deployed app's pods and URL", runStatus},
		{"scale", "scale APP N    run N replicas of a deployed app", runScaleReplicas},
		{"destroy", "destroy APP    remove a deployed app (--purge: its database volumes too)", runDestroy},
		{"version", "version        print the version", runVersion},
	}
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stdout)
		return 0
	}
	for _, c := range commands() {
		if c.name == args[0] {
			if err := c.run(args[1:], stdout, stderr); err != nil {
				fmt.Fprintf(stderr, "jac %s: %v\n", c.name, err)
				return 1
			}
			return 0
		}
	}
	fmt.Fprintf(stderr, "jac: unknown command %q\n\n", args[0])
	usage(stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "jac: build and serve walker modules\n\nusage:")
	for _, c := range commands() {
		fmt.Fprintln(w, "  jac "+c.usage)
	}
	fmt.Fprintln(w, "\nRun 'jac COMMAND --help' for a command's flags.")
}

func runVersion(_ []string, stdout, _ io.Writer) error {
	fmt.Fprintf(stdout, "jac %s (walker ABI v1)\n", Version)
	return nil
}
