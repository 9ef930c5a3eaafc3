package server

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/valyala/fasthttp"
	"github.com/walkerhost/walkerhost/internal/web"
)

// Checker is one readiness check of /readyz: a store, a module, a tier the
// host depends on. Check must return within ctx's deadline.
type Checker interface {
	Name() string
	Check(ctx context.Context) error
}

// CheckFunc makes a Checker of a name and a function.
func CheckFunc(name string, check func(context.Context) error) Checker { return checkFunc{name, check} }

type checkFunc struct {
	name  string
	check func(context.Context) error
}

func (c checkFunc) Name() string                    { return c.name }
func (c checkFunc) Check(ctx context.Context) error { return c.check(ctx) }

// ReadyTimeout bounds each readiness check.
const ReadyTimeout = 2 * time.Second

// CodeNotReady is the error code of a /readyz answer when a check fails.
const CodeNotReady = "NOT_READY"

// errNotReady wraps the failures of /readyz.
var errNotReady = errors.New("server: not ready")

// healthz answers while the process serves HTTP; it checks nothing else, so
// that a liveness probe never restarts a host for a slow dependency.
func healthz(ctx *fasthttp.RequestCtx) error {
	web.Respond(ctx, fasthttp.StatusOK, []byte(`{"status":"ok"}`))
	return nil
}

// readyz runs every check and answers 200 with each one's result, or 503
// NOT_READY naming those that failed. A failed advisory leaves the answer
// 200, with status "degraded" and its error among the checks.
func (s *Server) readyz(ctx *fasthttp.RequestCtx) error {
	results, err := run(ctx, s.checks)
	advice, degraded := run(ctx, s.advisories)
	for name, r := range advice {
		results[name] = r
	}
	if err != nil {
		return web.NewError(fasthttp.StatusServiceUnavailable, CodeNotReady, err.Error(), map[string]any{"checks": results})
	}
	status := "ready"
	if degraded != nil {
		status = "degraded"
	}
	return web.RespondValue(ctx, fasthttp.StatusOK, map[string]any{"status": status, "checks": results})
}

// run runs checks in order, each under ReadyTimeout, and returns each
// one's result ("ok" or its error) by name.
func run(parent context.Context, checks []Checker) (map[string]string, error) {
	results := make(map[string]string, len(checks))
	var failed []string
	for _, c := range checks {
		ctx, cancel := context.WithTimeout(parent, ReadyTimeout)
		err := c.Check(ctx)
		cancel()
		if err != nil {
			results[c.Name()] = err.Error()
			failed = append(failed, c.Name()+": "+err.Error())
			continue
		}
		results[c.Name()] = "ok"
	}
	if len(failed) > 0 {
		return results, fmt.Errorf("%w: %s", errNotReady, strings.Join(failed, "; "))
	}
	return results, nil
}
