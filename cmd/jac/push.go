package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
)

var pushCommand = command{
	name: "push", args: []string{"MODULE"}, summary: "upload a module to a running host's app and activate it",
	about: "Uploads MODULE (a .wasm module, a guest folder, built first, or a Jac app, sent as source and\n" +
		"built by the host) to the admin API of the host at\n" +
		"--to, as a new version of the app --app, and activates it: requests in flight finish on the old\n" +
		"version, every later one is served by the new one (docs/APPS.md). Prints the version and the\n" +
		"activation. A refused module (it does not load, imports what the host lacks, needs more memory\n" +
		"than the app may have) is reported with the host's message, and the active version stays.",
	setup: func(fs *flagSet) runner {
		var p pushFlags
		fs.str(&p.to, "to", "JAC_PUSH_URL", "", "base URL of the host, such as http://127.0.0.1:8000")
		fs.str(&p.app, "app", "JAC_APP", "the module's name", "app to upload to (created if it does not exist)")
		fs.str(&p.token, "token", "JAC_ADMIN_TOKEN", "", "the host's admin token")
		return func(args []string, stdout, stderr io.Writer) error {
			return runPush(args[0], &p, stdout, stderr)
		}
	},
}

type pushFlags struct{ to, app, token string }

// pushTimeout bounds one upload: the host loads the module and waits for
// the old version's requests before it answers.
const pushTimeout = 5 * time.Minute

func runPush(module string, p *pushFlags, stdout, stderr io.Writer) error {
	base, err := url.Parse(strings.TrimRight(p.to, "/"))
	switch {
	case p.to == "":
		return usageErr("missing --to URL (or JAC_PUSH_URL)")
	case err != nil || base.Scheme != "http" && base.Scheme != "https" || base.Host == "":
		return usageErr("--to %q is not an http:// or https:// URL", p.to)
	case p.token == "":
		return usageErr("missing --token (or JAC_ADMIN_TOKEN): the host's admin token")
	}
	ctx, cancel := context.WithTimeout(context.Background(), pushTimeout)
	defer cancel()
	// A Jac app goes as its source, checked here and built by the host.
	var name, query string
	var wasm []byte
	if entry := jacEntry(module); entry != "" {
		name, query = jacName(entry), "&file="+url.QueryEscape(filepath.Base(entry))
		if wasm, err = os.ReadFile(entry); err == nil {
			err = checkJac(entry, wasm)
		}
	} else {
		name, wasm, err = loadModule(ctx, module, stderr)
	}
	if err != nil {
		return err
	}
	app := p.app
	if app == "" {
		app = name
	}
	target := base.JoinPath("admin", "apps", app, "modules").String() + "?activate=true" + query
	var out struct {
		App     string `json:"app"`
		Version uint64 `json:"version"`
		Size    int    `json:"size"`
		SHA256  string `json:"sha256"`
		Active  uint64 `json:"active"`
	}
	err = step(stderr, fmt.Sprintf("pushing %s to %s", name, base), func() error {
		return adminPost(ctx, target, p.token, wasm, &out)
	})
	if err != nil {
		return fmt.Errorf("%s: %w", module, err)
	}
	fmt.Fprintf(stdout, "app %s: version %d uploaded (%d bytes, sha256 %s)\n", out.App, out.Version, out.Size, out.SHA256)
	if out.Active != out.Version {
		return fmt.Errorf("version %d was stored but version %d is active", out.Version, out.Active)
	}
	fmt.Fprintf(stdout, "app %s: version %d active\n", out.App, out.Active)
	return nil
}

// adminPost posts body to an admin API URL with the admin token and decodes
// the envelope's data into data; an error answer becomes an error carrying
// the host's code and message.
func adminPost(ctx context.Context, target, token string, body []byte, data any) error {
	req, err := http.NewRequestWithContext(ctx, "POST", target, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	ctype := "application/wasm"
	if !bytes.HasPrefix(body, []byte("\x00asm")) {
		ctype = "text/plain; charset=utf-8" // Jac source
	}
	req.Header.Set("Content-Type", ctype)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	var env struct {
		OK    bool            `json:"ok"`
		Data  json.RawMessage `json:"data"`
		Error *struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if err := json.Unmarshal(raw, &env); err != nil {
		return fmt.Errorf("%s answered %d, not a walker host envelope: %.200s", target, resp.StatusCode, raw)
	}
	if resp.StatusCode/100 != 2 || !env.OK || env.Error != nil {
		code, msg := "", ""
		if env.Error != nil {
			code, msg = env.Error.Code, env.Error.Message
		}
		err := fmt.Errorf("refused: %d %s: %s", resp.StatusCode, code, msg)
		switch resp.StatusCode {
		case http.StatusNotFound:
			if strings.HasPrefix(msg, "no route") {
				return fmt.Errorf("%w (is the admin API on? it needs admin.token or JAC_ADMIN_TOKEN on the host)", err)
			}
		case http.StatusUnauthorized, http.StatusForbidden:
			return fmt.Errorf("%w (check --token or JAC_ADMIN_TOKEN)", err)
		}
		return err
	}
	return json.Unmarshal(env.Data, data)
}
