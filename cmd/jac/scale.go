package main

import (
	"context"
	"fmt"
	"io"
	"strconv"

	"github.com/walkerhost/walkerhost/deploy"
)

func runScaleReplicas(args []string, stdout, stderr io.Writer) error {
	var f deployFlags
	pos, err := f.parse("scale", "Sets the deployed app's replicas and waits until they are ready; the next deploy\n"+
		"sets K8s_REPLICAS again. APP is its folder, module or name.", args, stderr, "APP", "REPLICAS")
	if err != nil {
		return err
	}
	app, count := pos[0], pos[1]
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
