package e2e

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/walkerhost/walkerhost/internal/testenv"
)

// TestBrowser_SwaggerUI drives the real Swagger UI page of a host serving
// todo in headless chromium: it signs in through the Authorize dialog (the
// OAuth2 password flow at /user/token), runs the protected create_todo
// walker with "Try it out" and Execute, and reads the answer on the page.
// Then it checks that ReDoc renders the same document. Screenshots go to
// $WALKERHOST_ARTIFACTS (default artifacts/ at the repository root).
func TestBrowser_SwaggerUI(t *testing.T) {
	h := testenv.Start(t, testenv.Config(t), "todo", testenv.Guest(t, "todo"))
	token := testenv.Register(t, h.URL, "ada", "lovelace-1815")
	ctx, reqs := browser(t)

	const title = "written in the browser"
	op := "#operations-Walker_APIs-walker_create_todo"
	err := steps(ctx,
		chromedp.Navigate(h.URL+"/docs"),
		chromedp.WaitVisible(chromedp.CSS(op)),
		// Authorize: username and password, exchanged for a token at /user/token.
		chromedp.Click(chromedp.CSS(".auth-wrapper .authorize")),
		chromedp.WaitVisible(chromedp.CSS("#oauth_username")),
		chromedp.SendKeys(chromedp.CSS("#oauth_username"), "ada"),
		chromedp.SendKeys(chromedp.CSS("#oauth_password"), "lovelace-1815"),
		chromedp.Click(authContainer("oauth2Password")+`//button[contains(@class, "authorize")]`),
		chromedp.WaitVisible(authContainer("oauth2Password")+`//button[@aria-label="Remove authorization"]`), // once authorized
		chromedp.Click(chromedp.CSS(".dialog-ux .close-modal")),
		chromedp.WaitNotPresent(chromedp.CSS(".dialog-ux")),
		// Try it out with our own body, then Execute.
		chromedp.Click(chromedp.CSS(op+" .opblock-summary-control")),
		chromedp.Click(chromedp.CSS(op+" .try-out__btn")),
		chromedp.Click(chromedp.CSS(op+" textarea.body-param__text")),
		chromedp.KeyEvent("a", chromedp.KeyModifiers(kb.ModifierCtrl)),
		chromedp.KeyEvent(kb.Delete),
		chromedp.SendKeys(chromedp.CSS(op+" textarea.body-param__text"), `{"title": "`+title+`"}`),
		chromedp.Click(chromedp.CSS(op+" .execute")),
		chromedp.WaitVisible(chromedp.CSS(op+" .live-responses-table .response-col_description pre")),
	)
	var answer string
	if err == nil {
		answer, err = chromedp.Run(ctx, chromedp.Text(chromedp.CSS(op+" .live-responses-table")))
	}
	shot(t, ctx, "swagger-ui.png", op)
	if err != nil {
		t.Fatalf("swagger ui: %v", err)
	}
	for _, want := range []string{"200", `"_jac_type": "Todo"`, `"title": "` + title + `"`, `"ok": true`} {
		if !strings.Contains(answer, want) {
			t.Fatalf("the page's answer lacks %s:\n%s", want, answer)
		}
	}
	// The walker ran as ada: her list, read over plain HTTP, has the todo.
	var list struct{ Reports []map[string]any }
	testenv.Do(t, "GET", h.URL+"/walker/list_todos", nil, token).Decode(t, &list)
	if len(list.Reports) != 1 || list.Reports[0]["title"] != title {
		t.Fatalf("ada's todos after the page's call: %v", list.Reports)
	}

	// ReDoc renders the walker's operation under its summary.
	err = steps(ctx, chromedp.Navigate(h.URL+"/redoc"), chromedp.WaitVisible(`//h2[contains(., "Walker create_todo")]`))
	shot(t, ctx, "redoc.png", "")
	if err != nil {
		t.Fatalf("redoc: %v", err)
	}
	reqs.offline(t, h.URL)
}

// TestBrowser_Bearer authorizes Swagger UI with a pasted Bearer token and
// runs a GET walker with it.
func TestBrowser_Bearer(t *testing.T) {
	h := testenv.Start(t, testenv.Config(t), "todo", testenv.Guest(t, "todo"))
	token := testenv.Register(t, h.URL, "grace", "hopper-1906")
	testenv.Do(t, "POST", h.URL+"/walker/create_todo", map[string]any{"title": "compile"}, token).Walker(t)
	ctx, reqs := browser(t)

	op := "#operations-Walker_APIs-walker_list_todos"
	bearer := authContainer("bearerAuth")
	err := steps(ctx,
		chromedp.Navigate(h.URL+"/docs"),
		chromedp.WaitVisible(chromedp.CSS(op)),
		chromedp.Click(chromedp.CSS(".auth-wrapper .authorize")),
		chromedp.WaitVisible(bearer+"//input"),
		chromedp.SendKeys(bearer+"//input", token),
		chromedp.Click(bearer+`//button[contains(@class, "authorize")]`),
		chromedp.WaitVisible(bearer+`//button[@aria-label="Remove authorization"]`),
		chromedp.Click(chromedp.CSS(".dialog-ux .close-modal")),
		chromedp.WaitNotPresent(chromedp.CSS(".dialog-ux")),
		chromedp.Click(chromedp.CSS(op+" .opblock-summary-control")),
		chromedp.Click(chromedp.CSS(op+" .try-out__btn")),
		chromedp.Click(chromedp.CSS(op+" .execute")),
		chromedp.WaitVisible(chromedp.CSS(op+" .live-responses-table .response-col_description pre")),
	)
	var answer string
	if err == nil {
		answer, err = chromedp.Run(ctx, chromedp.Text(chromedp.CSS(op+" .live-responses-table")))
	}
	shot(t, ctx, "swagger-ui-bearer.png", op)
	if err != nil {
		t.Fatalf("swagger ui: %v", err)
	}
	if !strings.Contains(answer, `"title": "compile"`) {
		t.Fatalf("the page's answer lacks grace's todo:\n%s", answer)
	}
	reqs.offline(t, h.URL)
}

// authContainer is the XPath of the Authorize dialog's section for a
// security scheme.
func authContainer(scheme string) string {
	return `//div[contains(@class, "auth-container")][.//h4[contains(., "` + scheme + `")]]`
}

// steps runs actions in order, each within 30 seconds, and names the one
// that failed.
func steps(ctx context.Context, actions ...chromedp.Action[chromedp.Void]) error {
	for i, a := range actions {
		sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		_, err := chromedp.Run(sctx, a)
		cancel()
		if err != nil {
			return fmt.Errorf("step %d of %d: %w", i+1, len(actions), err)
		}
	}
	return nil
}

// browser starts headless chromium (installed by make deps) for the test
// and records the URL of every request its pages make.
func browser(t *testing.T) (context.Context, *requests) {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatal("chromium not found: run make deps (scripts/apt.sh chromium)")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox, // tests may run as root
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.WindowSize(1280, 1600),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	reqs := &requests{urls: map[network.RequestID]string{}, blocked: map[network.RequestID]bool{}}
	ctx, cancelCtx := chromedp.NewContext(actx, chromedp.WithListener(reqs.record))
	t.Cleanup(func() { cancelCtx(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		t.Fatalf("start chromium: %v", err)
	}
	return ctx, reqs
}

// requests records the URLs a browser's pages requested, and which of
// those the browser blocked before sending (by the pages' CSP).
type requests struct {
	mu      sync.Mutex
	urls    map[network.RequestID]string
	blocked map[network.RequestID]bool
}

func (r *requests) record(ev any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch e := ev.(type) {
	case *network.EventRequestWillBeSent:
		r.urls[e.RequestID] = e.Request.URL
	case *network.EventLoadingFailed:
		if e.BlockedReason != "" {
			r.blocked[e.RequestID] = true
		}
	}
}

// offline fails the test if a page sent a request anywhere but to base
// (the host), data: and blob: URLs aside: the docs pages work offline.
func (r *requests) offline(t *testing.T, base string) {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.urls) == 0 {
		t.Fatal("no requests recorded")
	}
	for id, u := range r.urls {
		local := strings.HasPrefix(u, base+"/") || strings.HasPrefix(u, "data:") || strings.HasPrefix(u, "blob:")
		if !local && !r.blocked[id] {
			t.Errorf("the page requested %s, not on the host", u)
		}
	}
}

// shot saves a screenshot as a test artifact: of the element sel when it
// is there, else of the window.
func shot(t *testing.T, ctx context.Context, name, sel string) {
	t.Helper()
	dir := os.Getenv("WALKERHOST_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(testenv.RepoRoot(t), "artifacts")
	}
	sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	var png []byte
	err := errors.New("no element")
	if sel != "" {
		png, err = chromedp.Run(sctx, chromedp.Screenshot(chromedp.CSS(sel)))
	}
	if err != nil {
		png, err = chromedp.Run(sctx, chromedp.CaptureScreenshot())
	}
	if err != nil {
		t.Logf("screenshot %s: %v", name, err)
		return
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
}
