package main

import (
	"context"
	"fmt"
	"io"
	"strconv"

	"github.com/walkerhost/walkerhost/deploy"
)

func runScaleReplicas(pos []string, stdout io.Writer) error {
	count := pos[1]
	n, err := strconv.Atoi(count)
	if err != nil {
		return fmt.Errorf("REPLICAS %q: want a number", count)
	}
	target, a, err := app(pos[0])
	if err != nil {
		return err
	}
	return target.Scale(context.Background(), a, n, deploy.NewWriterLogger(stdout))
}
