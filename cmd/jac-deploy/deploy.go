package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/walkerhost/walkerhost/deploy"
	"github.com/walkerhost/walkerhost/deploy/image"
)

// runDeploy deploys APP: with JAC_SCALE_BUILD, a .wasm module jac has
// built goes into a new image with the host binary (JAC_HOST_BINARY, else
// the jac that runs jac-deploy, JAC_BIN).
func runDeploy(pos []string, stdout io.Writer) error {
	cfg, err := config()
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	build := envBool("JAC_SCALE_BUILD")
	mod := image.Module{Name: moduleName(pos[0])}
	if build {
		if mod.Wasm, err = os.ReadFile(pos[0]); err != nil {
			return err
		}
	}
	res, err := deploy.Start(ctx, deploy.Options{Config: cfg, Module: mod, Build: build, DefaultHost: hostBinary(),
		Log: deploy.NewWriterLogger(stdout)})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\n%s is ready: %d %s at %s\n  image %s\n", moduleOrApp(cfg, mod.Name), res.Replicas,
		plural(res.Replicas, "replica"), res.URL, res.Image)
	return nil
}

// hostBinary is the jac an image gets when JAC_HOST_BINARY names none:
// the one that runs jac-deploy, else the jac beside jac-deploy.
func hostBinary() string {
	if jac := os.Getenv("JAC_BIN"); jac != "" {
		return jac
	}
	exe, err := os.Executable()
	if err != nil {
		return ""
	}
	return filepath.Join(filepath.Dir(exe), "jac")
}

func moduleOrApp(cfg deploy.Config, module string) string {
	if name, err := deploy.Name(cfg, module); err == nil {
		return name
	}
	return module
}
