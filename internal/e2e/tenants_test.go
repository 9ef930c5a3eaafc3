package e2e

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/walkerhost/walkerhost/internal/attack"
	"github.com/walkerhost/walkerhost/internal/testenv"
)

// hostileModules are the modules the upload attack offers app bad: each
// breaks one rule of loading and must be refused with the app's last good
// version left serving.
var hostileModules = []string{"badimport", "badmanifest", "initloop", "noexports", "reserved", "wrongabi", "hostroute", "duproute"}

// suiteRSSBound is the most resident memory the host may reach under any
// attack: its own heap and code, the compiled modules, app good's and app
// bad's instances (2 × 32 MiB at most) and the attackers' connections.
const suiteRSSBound = 512 << 20

// TestHostileTenants is the hostile-tenant suite: one `jac start` process
// serves app good (hello) and app bad (the hostile guest, small limits);
// app bad is fed every attack of internal/attack in turn while four clients
// greet app good without pause. Asserted for every attack: the process
// never exits, /healthz answers at every probe, every greeting succeeds,
// the attack's answers keep the contract, and the host's resident memory
// stays under suiteRSSBound.
func TestHostileTenants(t *testing.T) {
	dir := t.TempDir()
	jac := testenv.Jac(t)
	modules := attack.Bombs()
	for _, name := range hostileModules {
		modules[name] = testenv.BadGuest(t, name)
	}
	// A low file limit makes the connection floods cheap: the host must
	// hold its own with 1 024 descriptors.
	h, err := attack.Launch(jac, dir, testenv.Guest(t, "hello"), testenv.Guest(t, "hostile"), 1024)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		h.Stop()
		if t.Failed() {
			t.Logf("host log (tail):\n%s", tail(h.Stderr(), 4000))
		}
	})
	hostile := testenv.Guest(t, "hostile")
	target := attack.Target{Base: h.Base, App: "bad", Admin: attack.AdminToken, Modules: modules, Valid: hostile, Source: "127.0.0.2"}
	phase := 3 * time.Second
	if os.Getenv("CI") == "" && testing.Short() {
		phase = time.Second
	}
	for _, a := range attack.All() {
		t.Run(a.Name, func(t *testing.T) {
			r := attack.RunOne(context.Background(), h, target, a, phase, 4)
			if r.Exited != "" {
				t.Fatalf("the host exited: %s", r.Exited)
			}
			if !r.Finished {
				t.Errorf("the attack did not stop within a minute of its end")
			}
			if r.Breach != nil {
				t.Errorf("outside the contract: %v", r.Breach)
			}
			if len(r.Health) > 0 {
				t.Errorf("/healthz failed: %v", r.Health)
			}
			if r.Good.Calls == 0 || len(r.Good.Failures) > 0 {
				t.Errorf("app good: %d calls, failures: %v", r.Good.Calls, r.Good.Failures)
			}
			if r.PeakRSS > suiteRSSBound {
				t.Errorf("the host's RSS reached %d MiB (bound %d MiB)", r.PeakRSS>>20, suiteRSSBound>>20)
			}
			t.Logf("%s: good %d calls, p99 %s; host peak RSS %d MiB", a.Name, r.Good.Calls, r.Good.P(0.99), r.PeakRSS>>20)
		})
	}
}

// tail returns the last n bytes of s.
func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[len(s)-n:]
}
