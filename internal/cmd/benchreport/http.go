package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/valyala/fasthttp"
	"github.com/walkerhost/walkerhost/host"
)

const helloPath = "/hello?name=bench"

// nativeHello does the hello walker's work as a plain fasthttp handler:
// read the query, build the greeting, answer in the same envelope.
func nativeHello() fasthttp.RequestHandler {
	var seq atomic.Uint64
	type payload struct {
		Result  map[string]string   `json:"result"`
		Reports []map[string]string `json:"reports"`
	}
	type envelope struct {
		OK    bool    `json:"ok"`
		Type  string  `json:"type"`
		Data  payload `json:"data"`
		Error any     `json:"error"`
		Meta  struct {
			Extra struct {
				HTTPStatus int `json:"http_status"`
			} `json:"extra"`
			RequestID string `json:"request_id"`
		} `json:"meta"`
	}
	return func(ctx *fasthttp.RequestCtx) {
		name := string(ctx.QueryArgs().Peek("name"))
		if name == "" {
			name = "world"
		}
		var e envelope
		e.OK, e.Type = true, "response"
		e.Data = payload{Result: map[string]string{"name": name}, Reports: []map[string]string{{"message": "Hello, " + name + "!"}}}
		e.Meta.Extra.HTTPStatus = 200
		e.Meta.RequestID = "native-" + strconv.FormatUint(seq.Add(1), 36)
		body, _ := json.Marshal(e)
		ctx.Response.Header.Set("X-Request-ID", e.Meta.RequestID)
		ctx.SetContentType("application/json")
		ctx.SetBody(body)
	}
}

// serve starts h on a loopback port and returns its address and a stop func.
func serve(h fasthttp.RequestHandler) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &fasthttp.Server{Handler: h}
	go func() { _ = srv.Serve(ln) }()
	return ln.Addr().String(), func() { _ = srv.Shutdown() }, nil
}

type loadResult struct {
	reqs     int
	errors   int
	rps      float64
	p50, p99 time.Duration
}

// load runs conns closed-loop clients against addr for dur, each sending
// the request prepare makes; a status other than 200 counts as an error.
func load(addr string, conns int, dur time.Duration, prepare func(*fasthttp.Request)) loadResult {
	client := &fasthttp.HostClient{Addr: addr, MaxConns: conns}
	var wg sync.WaitGroup
	lat := make([][]time.Duration, conns)
	errs := make([]int, conns)
	deadline := time.Now().Add(dur)
	start := time.Now()
	for i := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
			prepare(req)
			req.SetHost(addr)
			for time.Now().Before(deadline) {
				t0 := time.Now()
				if err := client.Do(req, resp); err != nil || resp.StatusCode() != 200 {
					errs[i]++
					continue
				}
				lat[i] = append(lat[i], time.Since(t0))
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	all := slices.Concat(lat...)
	slices.Sort(all)
	r := loadResult{reqs: len(all), rps: float64(len(all)) / elapsed.Seconds()}
	for _, e := range errs {
		r.errors += e
	}
	if len(all) > 0 {
		r.p50, r.p99 = all[len(all)/2], all[len(all)*99/100]
	}
	return r
}

func httpReport(hello []byte, dur time.Duration, rounds, conns int) error {
	cfg, cleanup, err := benchConfig()
	if err != nil {
		return err
	}
	defer cleanup()
	h, err := host.Open(context.Background(), cfg, "hello", hello, quietLog())
	if err != nil {
		return err
	}
	defer h.Close()
	if err := h.Module().Warm(context.Background(), cfg.PoolSize); err != nil {
		return err
	}
	nativeAddr, stopNative, err := serve(nativeHello())
	if err != nil {
		return err
	}
	defer stopNative()
	hostAddr, stopHost, err := serve(h.Handler())
	if err != nil {
		return err
	}
	defer stopHost()
	get := func(req *fasthttp.Request) { req.SetRequestURI("http://bench" + helloPath) }
	load(nativeAddr, conns, dur/4, get) // warm-up of both servers and the client
	load(hostAddr, conns, dur/4, get)
	var native, wasm []loadResult
	for range rounds {
		native = append(native, load(nativeAddr, conns, dur, get))
		wasm = append(wasm, load(hostAddr, conns, dur, get))
	}
	fmt.Printf("HTTP over loopback: GET %s, %d connections, %d interleaved rounds of %s (best round shown)\n", helloPath, conns, rounds, dur)
	a, b := best(native), best(wasm)
	fmt.Printf("  %-34s %10s %9s %9s %7s\n", "server", "req/s", "p50", "p99", "errors")
	printLoad("(a) native fasthttp handler", a)
	printLoad("(b) hello walker through the host", b)
	fmt.Printf("  ratio b/a (req/s): %.2f   (target >= 0.5)\n\n", b.rps/a.rps)
	return nil
}

func best(rs []loadResult) loadResult {
	return slices.MaxFunc(rs, func(x, y loadResult) int { return int(x.rps - y.rps) })
}

func printLoad(name string, r loadResult) {
	fmt.Printf("  %-34s %10.0f %9s %9s %7d\n", name, r.rps, r.p50.Round(time.Microsecond), r.p99.Round(time.Microsecond), r.errors)
}
