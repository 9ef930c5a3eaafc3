package attack

import (
	"bufio"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// HostileCalls is one of every way the hostile guest (guests/hostile) can
// misbehave, as walker and body: each must end in a limit or an execution
// error.
var HostileCalls = []struct{ Walker, Body string }{
	{"spin", `{}`},
	{"hog", `{}`},
	{"recurse", `{}`},
	{"flood", `{}`},
	{"flood", `{"size":524288}`},
	{"flood", `{"size":16,"count":200000}`},
	{"callflood", `{}`},
	{"printflood", `{}`},
	{"hoard", `{}`},
	{"panic", `{}`},
	{"badptr", `{"call":"report"}`},
	{"badptr", `{"call":"edge_query"}`},
	{"write_then_spin", `{}`},
	{"write_then_panic", `{}`},
	{"write_then_hog", `{}`},
}

// parallel runs n copies of step under until and returns the first breach.
func parallel(ctx context.Context, n int, step func(i int) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make(chan error, n)
	for i := range n {
		go func() { errs <- until(ctx, func() error { return step(i) }) }()
	}
	var first error
	for range n {
		if err := <-errs; err != nil && first == nil {
			first = err
			cancel()
		}
	}
	return first
}

// walkers calls every hostile walker from four clients.
func walkers(ctx context.Context, t Target) error {
	return parallel(ctx, 4, func(c int) error {
		for i := range HostileCalls {
			hc := HostileCalls[(i+c*3)%len(HostileCalls)]
			a, err := Do(ctx, "POST", t.URL("/walker/"+hc.Walker), hc.Body)
			if err != nil {
				return err
			}
			if err := refused(hc.Walker, a, "LIMIT_EXCEEDED", "EXECUTION_ERROR"); err != nil {
				return err
			}
		}
		return nil
	})
}

// fork calls a walker that recurses exponentially without a loop: only
// the checks at function entries end it.
func fork(ctx context.Context, t Target) error {
	return parallel(ctx, 2, func(int) error {
		a, err := Do(ctx, "POST", t.URL("/walker/fork"), `{}`)
		if err != nil {
			return err
		}
		return refused("fork", a, "LIMIT_EXCEEDED")
	})
}

// uploads offers every hostile module to the admin API with activation,
// and checks after each refusal that the app still serves its last good
// version.
func uploads(ctx context.Context, t Target) error {
	return until(ctx, func() error {
		for name, wasm := range t.Modules {
			a, err := Do(ctx, "POST", t.Base+"/admin/apps/"+t.App+"/modules?activate=true", wasm,
				"Authorization", "Bearer "+t.Admin, "Content-Type", "application/wasm")
			if err != nil {
				return err
			}
			if a.Status < 400 || a.Status >= 500 {
				return breach("module %s: want a 4xx refusal, got %s", name, a)
			}
			if err := stillServes(ctx, t); err != nil {
				return fmt.Errorf("after module %s: %w", name, err)
			}
		}
		return stillServes(ctx, t)
	})
}

// stillServes checks that the app's "ok" walker answers.
func stillServes(ctx context.Context, t Target) error {
	a, err := Do(ctx, "POST", t.URL("/walker/ok"), `{}`)
	if err != nil {
		return err
	}
	if a.Status != 200 {
		return breach("the app's ok walker: %s", a)
	}
	return nil
}

// dial opens a TCP connection to the host from t.Source.
func dial(ctx context.Context, t Target) (net.Conn, error) {
	d := net.Dialer{Timeout: 5 * time.Second}
	if t.Source != "" {
		d.LocalAddr = &net.TCPAddr{IP: net.ParseIP(t.Source)}
	}
	return d.DialContext(ctx, "tcp", strings.TrimPrefix(t.Base, "http://"))
}

// holdConns keeps up to n connections open, each set up by open, until
// ctx is done; a connection the host closes is replaced.
func holdConns(ctx context.Context, t Target, n int, open func(net.Conn) error, tend func(net.Conn) error) error {
	var mu sync.Mutex
	conns := map[net.Conn]bool{}
	defer func() {
		mu.Lock()
		for c := range conns {
			c.Close()
		}
		mu.Unlock()
	}()
	return parallel(ctx, 8, func(w int) error {
		c, err := dial(ctx, t)
		if err != nil {
			return err
		}
		mu.Lock()
		full := len(conns) >= n
		if !full {
			conns[c] = true
		}
		mu.Unlock()
		if full {
			c.Close()
			pause(ctx, 200*time.Millisecond)
			return nil
		}
		defer func() {
			mu.Lock()
			delete(conns, c)
			mu.Unlock()
			c.Close()
		}()
		if err := open(c); err != nil {
			return err
		}
		for ctx.Err() == nil {
			if err := tend(c); err != nil {
				return err
			}
		}
		return nil
	})
}

// idleConns opens 3 000 connections from one client and sends nothing.
func idleConns(ctx context.Context, t Target) error {
	return holdConns(ctx, t, 3000, func(net.Conn) error { return nil }, func(c net.Conn) error {
		// Wait until the host drops the connection or the attack ends.
		_ = c.SetReadDeadline(time.Now().Add(time.Second))
		var b [1]byte
		_, err := c.Read(b[:])
		if ne, ok := err.(net.Error); ok && ne.Timeout() {
			return nil
		}
		return fmt.Errorf("dropped: %w", err)
	})
}

// slowHeaders sends a request's header one byte a second from 200
// connections: the host must drop them at its header timeout.
func slowHeaders(ctx context.Context, t Target) error {
	return holdConns(ctx, t, 200, func(c net.Conn) error {
		_, err := fmt.Fprintf(c, "GET /apps/%s/walker/ok HTTP/1.1\r\nHost: x\r\nX-Slow: ", t.App)
		return err
	}, func(c net.Conn) error {
		pause(ctx, time.Second)
		_ = c.SetWriteDeadline(time.Now().Add(time.Second))
		_, err := c.Write([]byte("a"))
		return err
	})
}

// announcedBodies announces a 67 MB body and sends one byte, from 30
// connections: the app's body limit must refuse it from the header, before
// the host allocates for it.
func announcedBodies(ctx context.Context, t Target) error {
	return parallel(ctx, 30, func(int) error {
		c, err := dial(ctx, t)
		if err != nil {
			return err
		}
		defer c.Close()
		if _, err := fmt.Fprintf(c, "POST /apps/%s/walker/ok HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 67000000\r\n\r\n{", t.App); err != nil {
			return err
		}
		_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			if ne, ok := err.(net.Error); ok && ne.Timeout() {
				return breach("a body announced over the limit got no answer in 10 s: the host waited for it")
			}
			return err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusRequestEntityTooLarge {
			return breach("a body announced over the limit: status %d, want 413", resp.StatusCode)
		}
		return nil
	})
}

// unreadStreams asks 20 times for a stream of endless reports and never
// reads it.
func unreadStreams(ctx context.Context, t Target) error {
	body := `{"size":64,"count":100000000}`
	return holdConns(ctx, t, 20, func(c net.Conn) error {
		if tc, ok := c.(*net.TCPConn); ok {
			_ = tc.SetReadBuffer(4096)
		}
		_, err := fmt.Fprintf(c, "POST /apps/%s/walker/flood HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", t.App, len(body), body)
		return err
	}, func(net.Conn) error {
		pause(ctx, time.Second)
		return nil
	})
}

// register creates (or logs in) a user of the app and returns a token.
func register(ctx context.Context, t Target, user, pass string) (string, error) {
	cred := map[string]string{"username": user, "password": pass}
	a, err := Do(ctx, "POST", t.URL("/user/register"), cred)
	if err != nil {
		return "", err
	}
	if a.Status != 201 {
		if a, err = Do(ctx, "POST", t.URL("/user/login"), cred); err != nil {
			return "", err
		}
	}
	var d struct{ Token string }
	if err := decode(a, &d); err != nil || d.Token == "" {
		return "", fmt.Errorf("no token for %s: %s", user, a)
	}
	return d.Token, nil
}

// passwordGuessing tries wrong passwords for one user from four clients.
func passwordGuessing(ctx context.Context, t Target) error {
	if _, err := register(ctx, t, "victim", "the-right-password"); err != nil {
		return err
	}
	return parallel(ctx, 4, func(c int) error {
		a, err := Do(ctx, "POST", t.URL("/user/login"), map[string]string{"username": "victim", "password": fmt.Sprintf("guess-%d", c)})
		if err != nil {
			return err
		}
		return refused("a wrong password", a)
	})
}

// deepJSON sends a field nested deeper than the ABI allows.
func deepJSON(ctx context.Context, t Target) error {
	deep := strings.Repeat(`[`, 100) + strings.Repeat(`]`, 100)
	return parallel(ctx, 2, func(int) error {
		a, err := Do(ctx, "POST", t.URL("/walker/deep"), `{"v":`+deep+`}`)
		if err != nil {
			return err
		}
		if a.Status != 422 {
			return breach("JSON 100 levels deep: want 422, got %s", a)
		}
		return nil
	})
}

// maxKeys is the default cap of API keys per user (plugins.scale.webhook.max_keys_per_user).
const maxKeys = 100

// apiKeyFlood creates API keys for one user without end.
func apiKeyFlood(ctx context.Context, t Target) error {
	token, err := register(ctx, t, "keymaker", "keymaker-password")
	if err != nil {
		return err
	}
	created := 0
	return until(ctx, func() error {
		a, err := Do(ctx, "POST", t.URL("/api-key/create"), map[string]any{"name": fmt.Sprintf("k%d", created)}, "Authorization", "Bearer "+token)
		if err != nil {
			return err
		}
		if a.Status < 300 {
			if created++; created > maxKeys {
				return breach("one user created %d API keys", created)
			}
			return nil
		}
		if err := refused("API key over the cap", a, "LIMIT_EXCEEDED"); err != nil {
			return err
		}
		pause(ctx, 50*time.Millisecond)
		return nil
	})
}

// oddUsernames registers names with control, bidi and byte-order marks.
func oddUsernames(ctx context.Context, t Target) error {
	odd := []string{"nul\x00l", "bidi\u202Eevil", "\uFEFFbom", "tab\tname", "rlo\u2067x"}
	if _, err := register(ctx, t, "alice", "alice-password"); err != nil {
		return err
	}
	return until(ctx, func() error {
		for _, name := range odd {
			a, err := Do(ctx, "POST", t.URL("/user/register"), map[string]string{"username": name, "password": "pw-pw-pw-pw"})
			if err != nil {
				return err
			}
			if a.Status < 400 {
				return breach("username %q accepted: %s", name, a)
			}
		}
		a, err := Do(ctx, "POST", t.URL("/user/register"), map[string]string{"username": " alice ", "password": "pw-pw-pw-pw"})
		if err != nil {
			return err
		}
		if a.Status < 400 {
			return breach(`" alice " registered beside "alice": %s`, a)
		}
		pause(ctx, 50*time.Millisecond)
		return nil
	})
}

// decode unmarshals the envelope's data into v.
func decode(a *Answer, v any) error { return json.Unmarshal(a.Data, v) }

// webhookReplay captures one signed webhook call and sends it again and
// again: the first is served, every replay refused.
func webhookReplay(ctx context.Context, t Target) error {
	token, err := register(ctx, t, "hooker", "hooker-password")
	if err != nil {
		return err
	}
	a, err := Do(ctx, "POST", t.URL("/api-key/create"), map[string]any{"name": "replayed"}, "Authorization", "Bearer "+token)
	if err != nil {
		return err
	}
	var key struct {
		APIKey string `json:"api_key"`
	}
	if err := decode(a, &key); err != nil || key.APIKey == "" {
		return fmt.Errorf("no API key: %s", a)
	}
	return until(ctx, func() error {
		body := fmt.Sprintf(`{"n":%d}`, time.Now().UnixNano())
		ts := strconv.FormatInt(time.Now().Unix(), 10)
		mac := hmac.New(sha256.New, []byte(key.APIKey))
		mac.Write([]byte(ts + "." + body))
		header := []string{"X-API-Key", key.APIKey, "X-Webhook-Timestamp", ts,
			"X-Webhook-Signature", hex.EncodeToString(mac.Sum(nil))}
		first, err := Do(ctx, "POST", t.URL("/webhook/hook"), body, header...)
		if err != nil {
			return err
		}
		if first.Status == 429 {
			pause(ctx, 100*time.Millisecond)
			return nil
		}
		if first.Status != 200 {
			return breach("a signed webhook call: %s", first)
		}
		for range 3 {
			again, err := Do(ctx, "POST", t.URL("/webhook/hook"), body, header...)
			if err != nil {
				return err
			}
			if again.Status < 400 {
				return breach("a replayed webhook call was served: %s", again)
			}
		}
		return nil
	})
}

// drainingActivation activates a version of the app again and again while
// streams nobody reads hold requests of the version being replaced: each
// activation must return by the old requests' deadline, not wait for them
// for ever.
func drainingActivation(ctx context.Context, t Target) error {
	streams, stop := context.WithCancel(ctx)
	defer stop()
	go func() { _ = unreadStreams(streams, t) }()
	admin := []string{"Authorization", "Bearer " + t.Admin, "Content-Type", "application/wasm"}
	up, err := Do(ctx, "POST", t.Base+"/admin/apps/"+t.App+"/modules", t.Valid, admin...)
	if err != nil {
		return err
	}
	var v struct{ Version uint64 }
	if err := decode(up, &v); err != nil || up.Status != 201 {
		return breach("uploading the app's own module: %s", up)
	}
	return until(ctx, func() error {
		pause(ctx, 500*time.Millisecond)
		call, cancel := context.WithTimeout(context.WithoutCancel(ctx), 20*time.Second)
		defer cancel()
		a, err := Do(call, "POST", fmt.Sprintf("%s/admin/apps/%s/modules/%d/activate", t.Base, t.App, v.Version), nil, admin...)
		if call.Err() != nil {
			return breach("an activation did not return in 20 s: draining waits for requests without end")
		}
		if err != nil {
			return err
		}
		if a.Status != 200 {
			return breach("activating version %d: %s", v.Version, a)
		}
		return stillServes(ctx, t)
	})
}
