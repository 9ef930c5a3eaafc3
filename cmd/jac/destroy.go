package main

import (
	"context"
	"io"

	"github.com/walkerhost/walkerhost/deploy"
)

func runDestroy(args []string, stdout, stderr io.Writer) error {
	var f deployFlags
	pos, err := f.parse("destroy", "Removes the deployed app. The databases' volumes and credentials stay for the next deploy\n"+
		"unless --purge is given. APP is its folder, module or name.", args, stderr, "APP")
	if err != nil {
		return err
	}
	app := pos[0]
	target, a, err := f.app(app)
	if err != nil {
		return err
	}
	return target.Destroy(context.Background(), a, f.purge, deploy.NewWriterLogger(stdout))
}
