package host_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"path/filepath"
	"testing"

	"github.com/valyala/fasthttp"
	"github.com/walkerhost/walkerhost/host"
	"github.com/walkerhost/walkerhost/host/config"
	"github.com/walkerhost/walkerhost/internal/testenv"
)

// BenchmarkHandler_Hello is one GET /hello through the host's HTTP handler,
// without the network: routing, the envelope, the walker call and the
// metrics, with logging.requests = false (the line costs 2–4 µs more).
func BenchmarkHandler_Hello(b *testing.B) {
	cfg := config.Default()
	cfg.DataDir = b.TempDir()
	cfg.CacheDir = filepath.Join(testenv.CacheDir(), "wazero")
	cfg.JWTSecret = "bench-secret-0123456789abcdef"
	cfg.LogRequests = false
	h, err := host.Open(context.Background(), cfg, "hello", testenv.Guest(b, "hello"), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		b.Fatal(err)
	}
	defer h.Close()
	handler := h.Handler()
	var req fasthttp.Request
	req.SetRequestURI("/hello?name=bench")
	var ctx fasthttp.RequestCtx
	addr := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)}
	b.ReportAllocs()
	for b.Loop() {
		ctx.Init(&req, addr, nil)
		handler(&ctx)
		if ctx.Response.StatusCode() != 200 {
			b.Fatalf("status %d: %s", ctx.Response.StatusCode(), ctx.Response.Body())
		}
	}
}
