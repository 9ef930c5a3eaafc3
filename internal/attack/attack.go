// Package attack is the hostile-tenant suite: every way a tenant's module
// or a client is known to try to hurt a host, each as an Attack that runs
// against one app of a live host until it is told to stop. The suite's test
// (internal/e2e, TestHostileTenants) runs them in turn against app "bad"
// while app "good" is called without pause; make bench runs the same ones
// to print good's latency under each (docs/ISOLATION.md).
package attack

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"
)

// Target is what an attack aims at.
type Target struct {
	Base  string // the host: http://127.0.0.1:PORT
	App   string // the attacked app, served under Base/apps/App
	Admin string // the admin token, for module uploads
	// Modules are the hostile modules the upload attack tries to install,
	// by name; each must be refused.
	Modules map[string][]byte
	// Valid is the app's own module, which the activation attack uploads
	// and activates again and again.
	Valid []byte
	// Source is the loopback address the connection-hungry attacks dial
	// from (127.0.0.2: another client than the well-behaved one, as an
	// attacker on the network would be); empty dials from the default.
	Source string
}

// URL returns the attacked app's URL for path.
func (t Target) URL(path string) string { return t.Base + "/apps/" + t.App + path }

// An Attack misbehaves against a target until ctx is done. Run returns an
// error when the host answered outside its contract (a 5xx where a limit
// was due, a hostile module accepted, a stack trace in a body), never for
// refusals, which are the point.
type Attack struct {
	Name string
	Run  func(ctx context.Context, t Target) error
}

// All returns every attack, in the order the suite runs them.
func All() []Attack {
	return []Attack{
		{"hostile walkers", walkers},
		{"exponential recursion", fork},
		{"hostile modules", uploads},
		{"idle connections", idleConns},
		{"slow headers", slowHeaders},
		{"announced bodies", announcedBodies},
		{"unread streams", unreadStreams},
		{"activation while draining", drainingActivation},
		{"password guessing", passwordGuessing},
		{"webhook replay", webhookReplay},
		{"deep json", deepJSON},
		{"api key flood", apiKeyFlood},
		{"odd usernames", oddUsernames},
	}
}

// Answer is a decoded envelope.
type Answer struct {
	Status int
	Header http.Header
	Body   []byte
	Error  *struct {
		Code    string          `json:"code"`
		Message string          `json:"message"`
		Details json.RawMessage `json:"details"`
	} `json:"error"`
	Data json.RawMessage `json:"data"`
}

// Code returns the envelope's error code, "" for a success.
func (a *Answer) Code() string {
	if a.Error == nil {
		return ""
	}
	return a.Error.Code
}

func (a *Answer) String() string { return fmt.Sprintf("%d %s", a.Status, bytes.TrimSpace(a.Body)) }

// client is the attackers' HTTP client: no attack request may hang for
// longer than this; the host's own deadlines are far shorter.
var client = &http.Client{Timeout: 30 * time.Second}

// Do sends one request with an optional JSON body and header pairs and
// decodes the envelope. Its error is a *Breach when the answer broke the
// contract every answer keeps (an envelope, no stack trace, no 5xx but an
// execution error, a limit or unavailability); any other error is the
// transport's, which an attack expects when the host drops it.
func Do(ctx context.Context, method, url string, body any, header ...string) (*Answer, error) {
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	case string:
		rd = strings.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return nil, err
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	a := &Answer{Status: resp.StatusCode, Header: resp.Header}
	if a.Body, err = io.ReadAll(resp.Body); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(a.Body, a); err != nil {
		return nil, breach("%s %s: the %d answer is not an envelope: %.200s", method, url, a.Status, a.Body)
	}
	for _, leak := range []string{"goroutine ", ".go:", "panic(", "runtime/debug"} {
		if bytes.Contains(a.Body, []byte(leak)) {
			return nil, breach("%s %s: the answer leaks %q: %.300s", method, url, leak, a.Body)
		}
	}
	if a.Status >= 500 && a.Status != 503 && a.Code() != "EXECUTION_ERROR" && a.Code() != "LIMIT_EXCEEDED" {
		return nil, breach("%s %s: a server error outside the contract: %s", method, url, a)
	}
	return a, nil
}

// Breach is an answer outside the host's contract.
type Breach struct{ msg string }

func (e *Breach) Error() string { return e.msg }

func breach(format string, args ...any) error { return &Breach{fmt.Sprintf(format, args...)} }

// until calls step until ctx is done and returns the first breach. A
// transport error (a connection refused or dropped under a limit) is
// expected of a host defending itself: the step is tried again after a
// moment.
func until(ctx context.Context, step func() error) error {
	for ctx.Err() == nil {
		err := step()
		var b *Breach
		switch {
		case errors.As(err, &b) && ctx.Err() == nil:
			return err
		case err != nil:
			pause(ctx, 20*time.Millisecond)
		}
	}
	return nil
}

// pause waits for d or until ctx is done.
func pause(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

// refused returns a breach unless a is a refusal with one of the codes.
func refused(what string, a *Answer, codes ...string) error {
	if a.Status >= 400 && (len(codes) == 0 || slices.Contains(codes, a.Code())) {
		return nil
	}
	return breach("%s: want a refusal %v, got %s", what, codes, a)
}
