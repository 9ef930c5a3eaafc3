package e2e

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/walkerhost/walkerhost/host/config"
	"github.com/walkerhost/walkerhost/internal/attack"
	"github.com/walkerhost/walkerhost/internal/testenv"
)

// moduleFile writes wasm to a temporary file for an [apps.NAME] module.
func moduleFile(t *testing.T, name string, wasm []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name+".wasm")
	if err := os.WriteFile(path, wasm, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// startGoodAndBad serves hello as app "good" and hostile as app "bad",
// with small limits for bad, on one host whose default app is hello.
func startGoodAndBad(t *testing.T) *testenv.Host {
	t.Helper()
	cfg := testenv.Config(t)
	hello := testenv.Guest(t, "hello")
	bad := cfg
	bad.MemoryLimitMB = 32
	bad.RequestTimeout = time.Second
	bad.MaxReportBytes = 256 << 10
	bad.MaxHostCalls = 10_000
	bad.MaxBodyBytes = 16 << 10
	bad.PoolSize = 2
	cfg.Apps = []config.App{
		{Name: "good", Module: moduleFile(t, "hello", hello), Limits: cfg},
		{Name: "bad", Module: moduleFile(t, "hostile", testenv.Guest(t, "hostile")), Limits: bad},
	}
	return testenv.Start(t, cfg, "hello", hello)
}

// TestApps_Survival hammers app bad with every hostile walker and bodies
// over its limit from several clients while a client greets app good
// without pause: every hostile request ends in LIMIT_EXCEEDED or
// EXECUTION_ERROR (413 for the bodies), every greeting is a correct 200, the
// host still answers, and /metrics counts the limits hit against app bad.
func TestApps_Survival(t *testing.T) {
	h := startGoodAndBad(t)
	bad, good := h.URL+"/apps/bad", h.URL+"/apps/good"
	before := scrape(t, h.URL)

	var stop atomic.Bool
	var greets atomic.Int64
	greetErr := make(chan string, 1)
	var goodDone sync.WaitGroup
	goodDone.Add(1)
	go func() {
		defer goodDone.Done()
		for i := 0; !stop.Load(); i++ {
			name := fmt.Sprintf("n%d", i)
			r, err := testenv.Try("GET", good+"/hello?name="+name, nil, "")
			if err == nil && r.Status == 200 && strings.Contains(string(r.Data), `"Hello, `+name+`!"`) {
				greets.Add(1)
				continue
			}
			if err == nil {
				err = fmt.Errorf("%d %s", r.Status, r.Body)
			}
			greetErr <- fmt.Sprintf("greeting %d: %v", i, err)
			return
		}
	}()

	const clients = 4
	huge := strings.Repeat("x", 1<<20)
	var limited, failed, tooLarge atomic.Int64
	var wrong sync.Map // "walker body" -> what came back
	var hostile sync.WaitGroup
	for c := range clients {
		hostile.Add(1)
		go func() {
			defer hostile.Done()
			for i := range attack.HostileCalls {
				hc := attack.HostileCalls[(i+c*3)%len(attack.HostileCalls)] // each client in another order
				r, err := testenv.Try("POST", bad+"/walker/"+hc.Walker, hc.Body, "")
				switch {
				case err != nil:
					wrong.Store(hc.Walker+" "+hc.Body, err.Error())
				case r.Error != nil && r.Error.Code == "LIMIT_EXCEEDED" && r.Status != 413:
					limited.Add(1)
				case r.Error != nil && r.Error.Code == "EXECUTION_ERROR" && r.Status == 500:
					failed.Add(1)
				default:
					wrong.Store(hc.Walker+" "+hc.Body, fmt.Sprintf("%d %s", r.Status, r.Body))
				}
			}
			r, err := testenv.Try("POST", bad+"/walker/ok", `{"pad":"`+huge+`"}`, "")
			if err != nil || r.Status != 413 || r.Error == nil || r.Error.Code != "LIMIT_EXCEEDED" {
				wrong.Store(fmt.Sprintf("huge body %d", c), fmt.Sprintf("%v %+v", err, r))
				return
			}
			tooLarge.Add(1)
		}()
	}
	hostile.Wait()
	stop.Store(true)
	goodDone.Wait()
	select {
	case msg := <-greetErr:
		t.Fatalf("app good during the attack: %s", msg)
	default:
	}
	wrong.Range(func(k, v any) bool {
		t.Errorf("hostile %s: got %v, want LIMIT_EXCEEDED or EXECUTION_ERROR", k, v)
		return true
	})
	if t.Failed() {
		t.FailNow()
	}
	if greets.Load() == 0 {
		t.Fatal("app good answered no greeting during the attack")
	}
	t.Logf("%d greetings, %d limits, %d execution errors, %d bodies refused", greets.Load(), limited.Load(), failed.Load(), tooLarge.Load())

	if r, err := http.Get(h.URL + "/healthz"); err != nil || r.StatusCode != 200 {
		t.Fatalf("GET /healthz after the attack: %v %v", err, r)
	}
	ok := testenv.Do(t, "POST", bad+"/walker/ok", `{}`, "").Walker(t)
	assertJSON(t, "app bad still serves", ok.Reports, `["ok"]`)
	after := scrape(t, h.URL)
	for _, kind := range []string{"time", "memory", "report_bytes", "host_calls"} {
		key := `jac_walker_aborts_total{kind="` + kind + `",module="bad"}`
		if after[key]-before[key] < 1 {
			t.Errorf("%s moved by %v, want at least 1", key, after[key]-before[key])
		}
	}
	var badAborts, goodAborts float64
	for key, v := range after {
		switch {
		case strings.HasPrefix(key, "jac_walker_aborts_total{") && strings.HasSuffix(key, `module="bad"}`):
			badAborts += v - before[key]
		case strings.HasPrefix(key, "jac_walker_aborts_total{"):
			goodAborts += v - before[key]
		}
	}
	if want := float64(limited.Load() + failed.Load()); badAborts != want {
		t.Errorf("aborts of app bad moved by %v, want %v (one per hostile request)", badAborts, want)
	}
	if goodAborts != 0 {
		t.Errorf("aborts of other apps moved by %v, want 0", goodAborts)
	}
	// Every spinning request of app bad ran long and took turns on the
	// cores (docs/ISOLATION.md); the walkers that spin are spin and
	// write_then_spin, sent once by each client.
	long := `jac_walker_long_calls_total{module="bad"}`
	if got := after[long] - before[long]; got < 2*clients {
		t.Errorf("%s moved by %v, want at least %d (the spinning requests)", long, got, 2*clients)
	}
}
