package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/walkerhost/walkerhost/internal/build"
)

func runBuild(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("jac build", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: jac build DIR\n\nCompiles the Go guest in DIR to DIR/<name>.wasm.")
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errors.New("want exactly one DIR")
	}
	out, err := build.Module(context.Background(), fs.Arg(0))
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, out)
	return nil
}
