package main

import (
	"context"
	"io"

	"github.com/walkerhost/walkerhost/deploy"
)

func runDestroy(pos []string, stdout io.Writer) error {
	target, a, err := app(pos[0])
	if err != nil {
		return err
	}
	return target.Destroy(context.Background(), a, envBool("JAC_DESTROY_PURGE"), deploy.NewWriterLogger(stdout))
}
