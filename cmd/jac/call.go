package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"

	"github.com/valyala/fasthttp"
	"github.com/walkerhost/walkerhost/abi"
	"github.com/walkerhost/walkerhost/host"
	"github.com/walkerhost/walkerhost/host/store"
)

var callCommand = command{
	name: "call", args: []string{"APP", "NAME"}, summary: "run a walker or function once, without a server",
	about: "Runs the walker or function NAME of APP (a .wasm module or a guest folder, built first) once,\n" +
		"in this process, through the same handler a server uses but with no network, and prints the\n" +
		"response envelope. The data directory is the one jac start uses, so a server must not hold it.\n" +
		"--user runs it as a registered user; with --register and --password jac creates the user\n" +
		"first. Only warnings and errors of the host are logged, unless -v.\n" +
		"Exits with 1 when the envelope is an error.",
	setup: func(fs *flagSet) runner {
		var f hostFlags
		var c callFlags
		fs.str(&c.input, "input", "JAC_INPUT", "{}", "the fields, as a JSON object")
		fs.str(&c.user, "user", "JAC_USER", "", "run as this registered user (else on the shared guest root, public walkers only)")
		fs.str(&c.node, "node", "JAC_NODE", "", "spawn the walker on this node id instead of the root")
		fs.str(&c.password, "password", "JAC_PASSWORD", "", "log --user in with this password (else jac trusts the data directory and signs a token itself)")
		fs.boolean(&c.register, "register", "JAC_REGISTER", "register --user with --password first (logs in when the user exists)")
		fs.boolean(&c.verbose, "v", "JAC_VERBOSE", "print the host's INFO logs on stderr (else warnings and errors only)")
		f.register(fs, false)
		return func(args []string, stdout, stderr io.Writer) error {
			return runCall(args[0], args[1], &f, &c, stdout, stderr)
		}
	},
}

type callFlags struct {
	input, user, node, password string
	register, verbose           bool
}

func runCall(app, name string, f *hostFlags, c *callFlags, stdout, stderr io.Writer) error {
	input := strings.TrimSpace(c.input)
	if input == "" {
		input = "{}"
	}
	if !json.Valid([]byte(input)) {
		return usageErr("--input is not JSON: %s", input)
	}
	if c.register && (c.user == "" || c.password == "") {
		return usageErr("--register needs --user and --password")
	}
	if c.password != "" && c.user == "" {
		return usageErr("--password needs --user")
	}
	cfg, err := f.load(app)
	if err != nil {
		return err
	}
	stderr = &console{w: stderr}
	level := slog.LevelWarn
	if c.verbose {
		level = slog.LevelInfo
	}
	ctx := context.Background()
	modName, wasm, err := loadModule(ctx, app, stderr)
	if err != nil {
		return err
	}
	log := newLeveledLogger(cfg.LogFormat, stderr, level)
	defer closeLog(log)
	var h *host.Host
	err = step(stderr, "loading module "+modName, func() (err error) {
		h, err = host.Open(ctx, cfg, modName, wasm, log)
		return err
	})
	if err != nil {
		return lockedHint(err, cfg.DataDir)
	}
	defer h.Close()
	method, path, err := entryRoute(h, name, c.node)
	if err != nil {
		return err
	}
	var req fasthttp.Request
	req.Header.SetMethod(method)
	req.SetRequestURI(path)
	req.Header.SetContentType("application/json")
	req.Header.Set("X-Request-ID", "jac-call")
	req.SetBodyString(input)
	if c.user != "" {
		token, err := callerToken(h, c)
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", "Bearer "+token)
	}
	status, body := serveOnce(h, &req)
	return printEnvelope(stdout, status, body)
}

// serveOnce runs one request through the host's handler, in process.
func serveOnce(h *host.Host, req *fasthttp.Request) (int, []byte) {
	var rc fasthttp.RequestCtx
	rc.Init(req, &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)}, nil)
	h.Handler()(&rc)
	return rc.Response.StatusCode(), rc.Response.Body()
}

// callerToken is the token of --user: signed by jac from the data
// directory, or, with --password, from the host's own register (with
// --register; an existing user is logged in) and login endpoints.
func callerToken(h *host.Host, c *callFlags) (string, error) {
	if c.password == "" {
		return h.Token(c.user)
	}
	body, _ := json.Marshal(map[string]string{"username": c.user, "password": c.password})
	post := func(path string) (int, []byte) {
		var req fasthttp.Request
		req.Header.SetMethod("POST")
		req.SetRequestURI(path)
		req.Header.SetContentType("application/json")
		req.SetBody(body)
		return serveOnce(h, &req)
	}
	status, answer := 0, []byte(nil)
	if c.register {
		status, answer = post("/user/register")
	}
	if !c.register || status == fasthttp.StatusBadRequest && bytes.Contains(answer, []byte(`"USER_EXISTS"`)) {
		status, answer = post("/user/login")
	}
	var env struct {
		Data  struct{ Token string } `json:"data"`
		Error struct{ Code, Message string }
	}
	_ = json.Unmarshal(answer, &env)
	if status/100 != 2 || env.Data.Token == "" {
		return "", fmt.Errorf("user %q: %d %s: %s", c.user, status, env.Error.Code, env.Error.Message)
	}
	return env.Data.Token, nil
}

// lockedHint explains a data directory another process holds: most often
// a jac start serving the same app.
func lockedHint(err error, dir string) error {
	if errors.Is(err, store.ErrLocked) {
		return fmt.Errorf("the data directory %s is in use by another process, most likely a running jac start: stop it, or pass --data-dir DIR (JAC_DATA_DIR) to use another directory", dir)
	}
	return err
}

// entryRoute is where a host serves the walker or function name.
func entryRoute(h *host.Host, name, node string) (string, string, error) {
	m := h.Module()
	e, ok := m.Walker(name)
	prefix := "/walker/"
	if !ok {
		if e, ok = m.Function(name); !ok {
			return "", "", fmt.Errorf("module %q has no walker or function %q; jac routes lists what it serves", m.Name, name)
		}
		prefix = "/function/"
		if node != "" {
			return "", "", usageErr("--node spawns walkers; %q is a function", name)
		}
	}
	switch {
	case e.Access == abi.AccessPrivate:
		return "", "", fmt.Errorf("%q is private: only the module's own walkers may spawn it", name)
	case e.Webhook:
		return "", "", fmt.Errorf("%q is a webhook: it runs at POST /webhook/%s with an API key and a signature; use jac start", name, name)
	}
	path := e.Path
	if path == "" {
		path = prefix + name
	}
	if node != "" {
		path = strings.TrimSuffix(path, "/") + "/" + node
	}
	return e.Method, path, nil
}

// printEnvelope prints the response indented and fails for an error answer.
func printEnvelope(w io.Writer, status int, body []byte) error {
	var out bytes.Buffer
	if json.Indent(&out, body, "", "  ") != nil {
		out.Reset()
		out.Write(body)
	}
	fmt.Fprintln(w, out.String())
	if status >= 400 {
		var env struct {
			Error struct{ Code string } `json:"error"`
		}
		_ = json.Unmarshal(body, &env)
		if status == fasthttp.StatusUnauthorized {
			return fmt.Errorf("answered %d %s; run it as a registered user with --user NAME", status, env.Error.Code)
		}
		return fmt.Errorf("answered %d %s", status, env.Error.Code)
	}
	return nil
}
