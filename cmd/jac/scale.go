package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"

	"github.com/walkerhost/walkerhost/deploy"
)

func runScaleReplicas(args []string, stdout, stderr io.Writer) error {
	var f deployFlags
	fs := flag.NewFlagSet("jac scale", flag.ContinueOnError)
	fs.SetOutput(stderr)
	f.register(fs, "scale")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: jac scale APP REPLICAS [flags]\n\nSets the deployed app's replicas and waits until they are ready; the next deploy\nsets K8s_REPLICAS again. APP is its folder, module or name.\n\nflags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() < 2 {
		fs.Usage()
		return errors.New("want APP and REPLICAS")
	}
	app, count := fs.Arg(0), fs.Arg(1)
	if err := fs.Parse(fs.Args()[2:]); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	n, err := strconv.Atoi(count)
	if err != nil {
		return fmt.Errorf("REPLICAS %q: want a number", count)
	}
	target, a, err := f.app(app)
	if err != nil {
		return err
	}
	return target.Scale(context.Background(), a, n, deploy.NewWriterLogger(stdout))
}
