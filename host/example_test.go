package host_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/walkerhost/walkerhost/host"
	"github.com/walkerhost/walkerhost/host/config"
	"github.com/walkerhost/walkerhost/host/store"
	"github.com/walkerhost/walkerhost/internal/testenv"
)

// helloModule is the path of the hello guest's module, built by TestMain:
// in a program of your own it is the file `jac build` wrote.
var helloModule string

func TestMain(m *testing.M) {
	var err error
	if helloModule, err = testenv.GuestFile("hello"); err != nil {
		fmt.Fprintln(os.Stderr, "build the hello guest:", err)
		os.Exit(1)
	}
	os.Exit(m.Run())
}

// Example embeds the host in a program of its own: one module served on a
// listener the program chose, with the configuration built in code
// (docs/EMBEDDING.md).
func Example() {
	ctx := context.Background()
	dataDir, _ := os.MkdirTemp("", "host-example-data-")
	defer os.RemoveAll(dataDir)

	cfg := config.Default()
	cfg.DataDir = dataDir
	cfg.JWTSecret = "example-secret-0123456789abcdef"
	cfg.LogRequests = false
	wasm, err := os.ReadFile(helloModule)
	if err != nil {
		fmt.Println(err)
		return
	}
	h, err := host.Open(ctx, cfg, "hello", wasm, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer h.Close()

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Println(err)
		return
	}
	go h.Serve(ln)
	defer h.Shutdown(ctx)

	resp, err := http.Get("http://" + ln.Addr().String() + "/hello?name=embedder")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	var answer struct {
		OK   bool `json:"ok"`
		Data struct {
			Reports []map[string]string `json:"reports"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&answer); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(resp.StatusCode, answer.OK, answer.Data.Reports[0]["message"])
	// Output: 200 true Hello, embedder!
}

// TestWithStore: a host given a store serves from it and opens none in
// its data directory.
func TestWithStore(t *testing.T) {
	own, dataDir := t.TempDir(), t.TempDir()
	db, err := store.Open(own)
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	cfg.DataDir = dataDir
	cfg.JWTSecret = "example-secret-0123456789abcdef"
	wasm, err := os.ReadFile(helloModule)
	if err != nil {
		t.Fatal(err)
	}
	h, err := host.Open(context.Background(), cfg, "hello", wasm, slog.New(slog.NewTextHandler(io.Discard, nil)), host.WithStore(db))
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dataDir, store.FileName)); !os.IsNotExist(err) {
		t.Fatalf("the host opened a store in its data directory (stat: %v)", err)
	}
	if _, err := os.Stat(filepath.Join(own, store.FileName)); err != nil {
		t.Fatalf("the given store: %v", err)
	}
	if _, err := store.Open(own); err != nil {
		t.Fatalf("the host did not close the given store: %v", err)
	}
}
