package server

import (
	"context"

	"github.com/valyala/fasthttp"
	"github.com/walkerhost/walkerhost/internal/metrics"
	"github.com/walkerhost/walkerhost/internal/sandbox"
	"github.com/walkerhost/walkerhost/internal/web"
)

// serveMetrics answers /metrics in the Prometheus text format; like
// /openapi.json it is not wrapped in the envelope (docs/API.md "Envelope").
func (s *Server) serveMetrics(ctx *fasthttp.RequestCtx) error {
	ctx.SetContentType(metrics.ContentType)
	if err := s.metrics.Write(ctx); err != nil {
		s.log.Error("metrics: write", "request_id", web.RequestID(ctx), "err", err)
	}
	return nil
}

// run calls the module and counts the run by its outcome in w.
func (s *Server) run(ctx context.Context, w *metrics.Walker, req *sandbox.Request, dst []byte) ([]byte, error) {
	out, err := s.mod.Call(ctx, req, dst)
	w.Run(sandbox.Outcome(err))
	return out, err
}
