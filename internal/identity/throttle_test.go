package identity

import (
	"errors"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/walkerhost/walkerhost/internal/graph"
)

func newService(t *testing.T) *Service {
	t.Helper()
	tok, _ := NewTokens(testSecret, "HS256", time.Hour)
	return New(openDB(t), func(string) (graph.ID, error) { return graph.NewID(), nil }, tok)
}

// limitOf returns the name of err's LimitError, "" when it is none.
func limitOf(err error) string {
	var lim *LimitError
	if errors.As(err, &lim) {
		return lim.Limit
	}
	return ""
}

func TestLogin_Throttle(t *testing.T) {
	now := time.Unix(1_000_000, 0)
	clock := NewMemoryEphemeral().(*memEphemeral)
	clock.now = func() time.Time { return now }
	s := newService(t)
	s.Limit(LoginLimits{UserFailures: 3, UserWindow: time.Minute, IPFailures: 4, IPWindow: time.Minute, HashQueue: 4}, clock)
	for _, u := range []string{"ann", "ben", "cat", "dan"} {
		if _, err := s.Register("app", u, "pw"); err != nil {
			t.Fatal(err)
		}
	}
	steps := []struct {
		name, client, user, password string
		want                         string // "ok", "bad" or a limit
	}{
		{"1st failure", "10.0.0.1", "ann", "x", "bad"},
		{"2nd failure", "10.0.0.2", "ann", "x", "bad"},
		{"success resets the user's count", "10.0.0.1", "ann", "pw", "ok"},
		{"failure", "10.0.0.1", "ann", "x", "bad"},
		{"failure", "10.0.0.2", "ann", "x", "bad"},
		{"3rd failure", "10.0.0.3", "ann", "x", "bad"},
		{"right password, user throttled", "10.0.0.9", "ann", "pw", LimitLoginUser},
		{"another spelling of the name", "10.0.0.9", " ann ", "pw", LimitLoginUser},
		{"same name in another app", "10.0.0.9", "ann", "pw", "bad"}, // no such user there
		{"other user", "10.0.0.1", "ben", "x", "bad"},
		{"4th failure from 10.0.0.1", "10.0.0.1", "cat", "x", "bad"},
		{"address throttled", "10.0.0.1", "dan", "pw", LimitLoginIP},
		{"unknown users count too", "10.0.0.4", "nobody", "x", "bad"},
		{"other address", "10.0.0.4", "dan", "pw", "ok"},
	}
	for i, st := range steps {
		app := "app"
		if st.name == "same name in another app" {
			app = "other"
		}
		_, err := s.Login(ctx, app, st.client, st.user, st.password)
		got := "ok"
		switch {
		case errors.Is(err, ErrInvalidCredentials):
			got = "bad"
		case limitOf(err) != "":
			got = limitOf(err)
			var lim *LimitError
			errors.As(err, &lim)
			if lim.RetryAfter <= 0 || lim.RetryAfter > time.Minute {
				t.Errorf("step %d: RetryAfter %v", i, lim.RetryAfter)
			}
		case err != nil:
			got = err.Error()
		}
		if got != st.want {
			t.Fatalf("step %d (%s): got %s, want %s", i, st.name, got, st.want)
		}
	}
	now = now.Add(time.Minute)
	if _, err := s.Login(ctx, "app", "10.0.0.1", "ann", "pw"); err != nil {
		t.Fatalf("after the window: %v", err)
	}
}

// TestLogin_ThrottledBeforeBcrypt: a throttled login is refused even with
// every hasher busy and no queue, so it never waited for bcrypt.
func TestLogin_ThrottledBeforeBcrypt(t *testing.T) {
	s := newService(t)
	s.Limit(LoginLimits{UserFailures: 1, UserWindow: time.Minute, HashQueue: 0, Hashers: 1}, NewMemoryEphemeral())
	if _, err := s.Login(ctx, "app", "", "ann", "x"); !errors.Is(err, ErrInvalidCredentials) {
		t.Fatal(err)
	}
	hold, held := make(chan struct{}), make(chan struct{})
	go s.gate.do(func() { close(held); <-hold })
	<-held
	defer close(hold)
	if _, err := s.Login(ctx, "app", "", "ann", "x"); limitOf(err) != LimitLoginUser {
		t.Fatalf("throttled login: %v", err)
	}
	if _, err := s.Login(ctx, "app", "", "ben", "x"); limitOf(err) != LimitHashing {
		t.Fatalf("login with the hasher busy and no queue: %v", err)
	}
}

// TestHashGate_Hammer: however many callers, at most the hashers run at
// once, at most the queue waits, the rest are refused at once, and every
// admitted caller runs.
func TestHashGate_Hammer(t *testing.T) {
	const hashers, queue, callers = 2, 3, 50
	g := newHashGate(hashers, queue)
	release := make(chan struct{})
	var running, peak, ran, refused atomic.Int64
	var wg sync.WaitGroup
	for range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := g.do(func() {
				n := running.Add(1)
				for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
				}
				<-release
				running.Add(-1)
				ran.Add(1)
			})
			if err != nil {
				if limitOf(err) != LimitHashing {
					t.Error(err)
				}
				refused.Add(1)
			}
		}()
	}
	// Everyone not running or queued is refused without waiting (or more
	// than the hashers run: the check below fails).
	for refused.Load() < callers-hashers-queue && running.Load() <= hashers {
		time.Sleep(time.Millisecond)
	}
	close(release)
	wg.Wait()
	if peak.Load() > hashers || ran.Load() != hashers+queue || refused.Load() != callers-hashers-queue {
		t.Fatalf("peak %d (max %d), ran %d, refused %d", peak.Load(), hashers, ran.Load(), refused.Load())
	}
}

// TestLogin_Hammer: a flood of wrong passwords for one user from many
// goroutines gets only refusals, and leaves the user throttled.
func TestLogin_Hammer(t *testing.T) {
	s := newService(t)
	s.Limit(LoginLimits{UserFailures: 5, UserWindow: time.Minute, IPFailures: 1000, IPWindow: time.Minute, Hashers: 1, HashQueue: 8}, NewMemoryEphemeral())
	if _, err := s.Register("app", "ann", "pw"); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := s.Login(ctx, "app", ClientKey(net.IPv4(10, 0, 0, byte(i))), "ann", "wrong")
			if !errors.Is(err, ErrInvalidCredentials) && limitOf(err) == "" {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if _, err := s.Login(ctx, "app", "10.9.9.9", "ann", "pw"); limitOf(err) != LimitLoginUser {
		t.Fatalf("after the flood: %v", err)
	}
}

func TestClientKey(t *testing.T) {
	for in, want := range map[string]string{
		"192.0.2.7":               "192.0.2.7",
		"::ffff:192.0.2.7":        "192.0.2.7",
		"2001:db8:1:2:3:4:5:6":    "2001:db8:1:2::/64",
		"2001:db8:1:2:ffff::9999": "2001:db8:1:2::/64",
	} {
		if got := ClientKey(net.ParseIP(in)); got != want {
			t.Errorf("ClientKey(%s) = %q, want %q", in, got, want)
		}
	}
	if ClientKey(nil) != "" {
		t.Error("nil address has a key")
	}
}
