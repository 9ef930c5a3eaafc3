package main

import (
	"context"
	"fmt"
	"io"

	"github.com/walkerhost/walkerhost/internal/build"
)

var buildCommand = command{
	name: "build", args: []string{"DIR"}, summary: "compile a guest folder or a .jac file to a .wasm module",
	about: "Compiles the Go guest in DIR with GOOS=wasip1 GOARCH=wasm -buildmode=c-shared and prints the\n" +
		"path of the module it wrote, DIR/<name>.wasm. For a Jac app (APP.jac, or a folder holding\n" +
		"main.jac or app.jac) it checks the program and writes APP.wasm beside it: the Jac runtime\n" +
		"embedded in jac with the program's source; no toolchain is needed.",
	setup: func(*flagSet) runner {
		return func(args []string, stdout, stderr io.Writer) error {
			if entry := jacEntry(args[0]); entry != "" {
				out, err := writeJac(context.Background(), entry, stderr)
				if err != nil {
					return err
				}
				fmt.Fprintln(stdout, out)
				return nil
			}
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
