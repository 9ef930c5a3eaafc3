package e2e

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/walkerhost/walkerhost/host"
	"github.com/walkerhost/walkerhost/internal/testenv"
)

// rawResponse sends req on a new connection from the local address from
// (empty: any) and reads one response; body is its envelope's error.
type rawAnswer struct {
	Status int
	Code   string
	Limit  string
	Value  string
}

func readAnswer(t *testing.T, c net.Conn) rawAnswer {
	t.Helper()
	_ = c.SetReadDeadline(time.Now().Add(30 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("reading the answer: %v", err)
	}
	defer resp.Body.Close()
	var env struct {
		Error struct {
			Code    string            `json:"code"`
			Details map[string]string `json:"details"`
		} `json:"error"`
	}
	b, _ := io.ReadAll(resp.Body)
	_ = json.Unmarshal(b, &env)
	return rawAnswer{resp.StatusCode, env.Error.Code, env.Error.Details["limit"], env.Error.Details["value"]}
}

func dialFrom(t *testing.T, from, addr string) net.Conn {
	t.Helper()
	d := net.Dialer{Timeout: 5 * time.Second}
	if from != "" {
		d.LocalAddr = &net.TCPAddr{IP: net.ParseIP(from)}
	}
	c, err := d.Dial("tcp", addr)
	if err != nil {
		t.Fatalf("dial %s from %s: %v", addr, from, err)
	}
	return c
}

// TestTransport_AnnouncedBody holds connections that announce a body of
// 67 000 000 bytes and send one byte, with the admin API on (uploads take
// bodies up to the largest module size limit, here 100 MiB). Each route's limit applies from the header: an app
// route and an admin upload without the token get 413 LIMIT_EXCEEDED at
// once, with Expect: 100-continue before any body byte; an upload with the
// token may send its body, which is read as it arrives. Either way the
// host's heap does not grow by the announced sizes.
func TestTransport_AnnouncedBody(t *testing.T) {
	cfg := testenv.Config(t)
	cfg.AdminToken = "admin-token-0123456789"
	cfg.MaxModuleBytes = 100 << 20 // uploads with the token may announce 67 MB
	h := testenv.Start(t, cfg, "hello", testenv.Guest(t, "hello"))
	addr := strings.TrimPrefix(h.URL, "http://")
	const held = 30
	tests := []struct {
		name, path, auth string
		expect           bool
		want             int // status; 0: none before the body
		value            string
	}{
		{"app route", "/function/add", "", false, 413, strconv.Itoa(cfg.MaxBodyBytes)},
		{"app route, expect", "/function/add", "", true, 413, strconv.Itoa(cfg.MaxBodyBytes)},
		{"upload without the token", "/admin/apps/x/modules", "", false, 413, strconv.Itoa(cfg.MaxBodyBytes)},
		{"upload without the token, expect", "/admin/apps/x/modules", "Bearer nope", true, 413, strconv.Itoa(cfg.MaxBodyBytes)},
		{"upload with the token", "/admin/apps/x/modules", "Bearer " + cfg.AdminToken, false, 0, ""},
		{"upload with the token, expect", "/admin/apps/x/modules", "Bearer " + cfg.AdminToken, true, 100, ""},
	}
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for range held {
				c := dialFrom(t, "", addr)
				t.Cleanup(func() { c.Close() })
				req := "POST " + tc.path + " HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: 67000000\r\n"
				if tc.auth != "" {
					req += "Authorization: " + tc.auth + "\r\n"
				}
				if tc.expect {
					req += "Expect: 100-continue\r\n"
				}
				if _, err := io.WriteString(c, req+"\r\n"); err != nil {
					t.Fatal(err)
				}
				if tc.want == 0 {
					if _, err := io.WriteString(c, "{"); err != nil {
						t.Fatal(err)
					}
					continue
				}
				if tc.want == 100 {
					line, err := bufio.NewReader(c).ReadString('\n')
					if err != nil || !strings.HasPrefix(line, "HTTP/1.1 100") {
						t.Fatalf("want 100 Continue, got %q %v", line, err)
					}
					if _, err := io.WriteString(c, "{"); err != nil {
						t.Fatal(err)
					}
					continue
				}
				if !tc.expect {
					if _, err := io.WriteString(c, "{"); err != nil {
						t.Fatal(err)
					}
				}
				a := readAnswer(t, c)
				if a != (rawAnswer{tc.want, "LIMIT_EXCEEDED", "request_body", tc.value}) {
					t.Fatalf("answer %+v, want %d LIMIT_EXCEEDED request_body %s", a, tc.want, tc.value)
				}
			}
		})
	}
	time.Sleep(200 * time.Millisecond) // let the host take in the last headers
	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	grew := int64(after.HeapInuse) - int64(before.HeapInuse)
	t.Logf("heap in use grew by %d KiB for %d connections announcing 67 000 000 bytes each", grew>>10, held*len(tests))
	if grew > 64<<20 {
		t.Fatalf("heap in use grew by %d MiB: announced bodies were allocated", grew>>20)
	}
	if r := testenv.Do(t, "GET", h.URL+"/healthz", nil, ""); r.Status != 200 {
		t.Fatalf("healthz: %d", r.Status)
	}
}

// TestTransport_Timeouts: a request whose header arrives a byte at a time
// is dropped after serve.header_timeout, one whose body trickles after
// serve.body_timeout, and an idle keep-alive connection after
// serve.idle_timeout.
func TestTransport_Timeouts(t *testing.T) {
	cfg := testenv.Config(t)
	cfg.HeaderTimeout = 500 * time.Millisecond
	cfg.BodyTimeout = 500 * time.Millisecond
	cfg.IdleTimeout = 500 * time.Millisecond
	h := testenv.Start(t, cfg, "hello", testenv.Guest(t, "hello"))
	addr := strings.TrimPrefix(h.URL, "http://")
	tests := []struct {
		name, first, trickle string
	}{
		{"header a byte at a time", "GET /healthz HTTP/1.1\r\nHost: test\r\n", "X-Slow: yes\r\n"},
		{"body a byte at a time", "POST /function/add HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n", `{"a":1`},
		{"idle after a request", "GET /healthz HTTP/1.1\r\nHost: test\r\n\r\n", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := dialFrom(t, "", addr)
			defer c.Close()
			if _, err := io.WriteString(c, tc.first); err != nil {
				t.Fatal(err)
			}
			stop := make(chan struct{})
			defer close(stop)
			go func() { // a byte every 50ms, for ever: never a whole request
				for i := 0; tc.trickle != ""; i++ {
					select {
					case <-stop:
						return
					case <-time.After(50 * time.Millisecond):
					}
					if _, err := c.Write([]byte{tc.trickle[i%len(tc.trickle)]}); err != nil {
						return
					}
				}
			}()
			// The host must close the connection; the deadline only keeps a
			// failing test from hanging.
			_ = c.SetReadDeadline(time.Now().Add(20 * time.Second))
			_, err := io.Copy(io.Discard, c)
			if ne, ok := err.(net.Error); ok && ne.Timeout() {
				t.Fatal("the host kept the connection open")
			}
		})
	}
}

// helperEnv marks the test binary run as a host in a child process.
const helperEnv = "JAC_E2E_HOST_HELPER"

// TestTransportHelper is not a test: run by TestTransport_FileLimit in a
// child process with a low open-file limit, it serves the hello guest and
// prints its address; like jac start, it exits when Serve returns.
func TestTransportHelper(t *testing.T) {
	if os.Getenv(helperEnv) == "" {
		t.Skip("runs as a child of TestTransport_FileLimit")
	}
	cfg := testenv.Config(t)
	cfg.MaxConnections, _ = strconv.Atoi(os.Getenv("JAC_MAX_CONNECTIONS"))
	cfg.MaxConnectionsPerIP, _ = strconv.Atoi(os.Getenv("JAC_MAX_CONNECTIONS_PER_IP"))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	h, err := host.Open(context.Background(), cfg, "hello", testenv.Guest(t, "hello"), slog.New(slog.NewTextHandler(os.Stderr, nil)))
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("listening %d\n", ln.Addr().(*net.TCPAddr).Port)
	err = h.Serve(ln)
	fmt.Fprintf(os.Stderr, "serve returned: %v\n", err)
	os.Exit(3)
}

// TestTransport_FileLimit runs a host with an open-file limit of 256 and
// floods it from one address (127.0.0.2) with more connections than that.
// Out of descriptors, accepting fails: the host must retry, not exit, and
// answer a fresh connection once the flood is gone. With the default
// connection cap and a per-address cap, the flood is refused with the
// limit's envelope and a client at another address is served during it.
func TestTransport_FileLimit(t *testing.T) {
	testenv.Guest(t, "hello") // built here, cached for the child
	tests := []struct {
		name            string
		maxConns, perIP int
		flood           int
		refused         rawAnswer // what a refused flood connection gets; zero: none checked
		servedDuring    bool
	}{
		{"descriptors run out", 100000, 0, 600, rawAnswer{}, false},
		{"per-address cap", 0, 50, 300, rawAnswer{429, "LIMIT_EXCEEDED", "connections_per_ip", "50"}, true},
		{"total cap", 100, 0, 300, rawAnswer{503, "LIMIT_EXCEEDED", "connections", "100"}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cmd := exec.Command("bash", "-c", `ulimit -n 256 && exec "$0" -test.run '^TestTransportHelper$'`, os.Args[0])
			cmd.Env = append(os.Environ(), helperEnv+"=1",
				"JAC_MAX_CONNECTIONS="+strconv.Itoa(tc.maxConns), "JAC_MAX_CONNECTIONS_PER_IP="+strconv.Itoa(tc.perIP))
			var log strings.Builder
			cmd.Stderr = &log
			out, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			exited := make(chan struct{}) // closed when the host process ends
			var exitErr error
			var port string
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				if p, ok := strings.CutPrefix(sc.Text(), "listening "); ok {
					port = p
					break
				}
			}
			go func() { io.Copy(io.Discard, out); exitErr = cmd.Wait(); close(exited) }()
			t.Cleanup(func() {
				_ = cmd.Process.Kill()
				<-exited
				if t.Failed() {
					t.Logf("host log (exit: %v):\n%s", exitErr, log.String())
				}
			})
			if port == "" {
				t.Fatalf("the host did not start")
			}
			var flood []net.Conn
			refused := 0
			for range tc.flood {
				d := net.Dialer{Timeout: 2 * time.Second, LocalAddr: &net.TCPAddr{IP: net.ParseIP("127.0.0.2")}}
				c, err := d.Dial("tcp", "127.0.0.1:"+port)
				if err != nil {
					continue // the backlog is full: the host is not accepting
				}
				flood = append(flood, c)
			}
			if tc.refused != (rawAnswer{}) {
				for _, c := range flood[len(flood)-10:] {
					if a := readAnswer(t, c); a != tc.refused {
						t.Fatalf("a flood connection got %+v, want %+v", a, tc.refused)
					}
					refused++
				}
			}
			if tc.servedDuring {
				probe(t, "127.0.0.1:"+port, exited)
			}
			for _, c := range flood {
				c.Close()
			}
			probe(t, "127.0.0.1:"+port, exited)
			t.Logf("%d flood connections opened, %d refusals read", len(flood), refused)
		})
	}
}

// probe asks /healthz on a fresh connection until it is answered; the host
// may still be backing off from failed accepts. It fails if the host exits.
func probe(t *testing.T, addr string, exited <-chan struct{}) {
	t.Helper()
	client := &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	var last error
	for range 20 {
		select {
		case <-exited:
			t.Fatal("the host exited")
		default:
		}
		resp, err := client.Get("http://" + addr + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
			err = fmt.Errorf("status %d", resp.StatusCode)
		}
		last = err
		time.Sleep(250 * time.Millisecond)
	}
	t.Fatalf("healthz from a fresh connection: %v", last)
}
