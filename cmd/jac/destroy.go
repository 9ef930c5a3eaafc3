package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/walkerhost/walkerhost/deploy"
)

func runDestroy(args []string, stdout, stderr io.Writer) error {
	var f deployFlags
	fs := flag.NewFlagSet("jac destroy", flag.ContinueOnError)
	fs.SetOutput(stderr)
	f.register(fs, "destroy")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: jac destroy APP [--purge] [flags]\n\nRemoves the deployed app. The databases' volumes and credentials stay for the next deploy\nunless --purge is given. APP is its folder, module or name.\n\nflags:")
		fs.PrintDefaults()
	}
	app, err := parseWithApp(fs, args)
	if err != nil {
		return err
	}
	target, a, err := f.app(app)
	if err != nil {
		return err
	}
	return target.Destroy(context.Background(), a, f.purge, deploy.NewWriterLogger(stdout))
}
