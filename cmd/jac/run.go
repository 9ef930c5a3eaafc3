package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/walkerhost/walkerhost/host"
	"github.com/walkerhost/walkerhost/internal/sandbox"
	"github.com/walkerhost/walkerhost/lang/bundle"
)

var runCommand = command{
	name: "run", args: []string{"FILE"}, summary: "run a Jac program's `with entry` blocks in the sandbox",
	about: "Builds FILE, a .jac program (or a folder holding main.jac or app.jac), and runs its `with entry`\n" +
		"blocks once through the sandbox, on the root of a graph that lives for this run only, printing\n" +
		"what they print and what walkers spawned there report, as jaclang's `jac run` does. The\n" +
		"blocks are not an HTTP route of the app. Exits with 1 when the program ends with an exception.",
	setup: func(fs *flagSet) runner {
		var f hostFlags
		f.registerConfig(fs)
		return func(args []string, stdout, stderr io.Writer) error { return runJac(args[0], &f, stdout, stderr) }
	},
}

func runJac(app string, f *hostFlags, stdout, stderr io.Writer) error {
	entry := jacEntry(app)
	if entry == "" {
		return usageErr("%s is not a .jac file or a folder holding main.jac or app.jac", app)
	}
	cfg, err := f.load(app)
	if err != nil {
		return err
	}
	wasm, err := buildJac(entry)
	if err != nil {
		return err
	}
	ctx := context.Background()
	reports, err := host.RunWalker(ctx, cfg, jacName(entry), wasm, bundle.MainWalker, newLogger("text", io.Discard))
	if errors.Is(err, sandbox.ErrUnknown) {
		return nil // no entry blocks: nothing to run
	}
	if err != nil {
		return err
	}
	for _, r := range reports {
		var out struct {
			Stdout string  `json:"stdout"`
			Error  *string `json:"error"`
		}
		if err := json.Unmarshal(r, &out); err != nil {
			return err
		}
		fmt.Fprint(stdout, out.Stdout)
		if out.Error != nil {
			return errors.New(*out.Error)
		}
	}
	return nil
}
