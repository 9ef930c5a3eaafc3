package main

import (
	"context"
	"fmt"
	"io"

	"github.com/walkerhost/walkerhost/internal/build"
)

var buildCommand = command{
	name: "build", args: []string{"DIR"}, summary: "compile a guest folder to DIR/<name>.wasm",
	about: "Compiles the Go guest in DIR with GOOS=wasip1 GOARCH=wasm -buildmode=c-shared and prints the\n" +
		"path of the module it wrote, DIR/<name>.wasm.",
	setup: func(*flagSet) runner {
		return func(args []string, stdout, stderr io.Writer) error {
			var out string
			err := step(stderr, "building "+args[0], func() (err error) {
				out, err = build.Module(context.Background(), args[0])
				return err
			})
			if err != nil {
				return err
			}
			fmt.Fprintln(stdout, out)
			return nil
		}
	},
}
