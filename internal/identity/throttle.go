package identity

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net"
	"runtime"
	"strconv"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// LimitError is a refusal for a limit of the identity service: the
// limit's name, its configured value and, for a limit that lifts by
// itself, when to try again.
type LimitError struct {
	Limit      string        // login_user, login_ip, password_hashing or api_keys
	Value      string        // the configured value, for the error details
	RetryAfter time.Duration // 0: retrying will not help
}

func (e *LimitError) Error() string {
	switch e.Limit {
	case LimitLoginUser:
		return fmt.Sprintf("too many failed logins for this username (limit %s); try again later", e.Value)
	case LimitLoginIP:
		return fmt.Sprintf("too many failed logins from this address (limit %s); try again later", e.Value)
	case LimitHashing:
		return "too many password checks in progress; try again shortly"
	case LimitAPIKeys:
		return fmt.Sprintf("at most %s active API keys per user; revoke one first", e.Value)
	}
	return "identity: limit " + e.Limit + " exceeded"
}

// Names of the identity limits.
const (
	LimitLoginUser = "login_user"
	LimitLoginIP   = "login_ip"
	LimitHashing   = "password_hashing"
	LimitAPIKeys   = "api_keys"
)

// LoginLimits bound password guessing and the CPU that bcrypt may take.
type LoginLimits struct {
	UserFailures int           // failed logins per username per UserWindow; 0: no limit
	UserWindow   time.Duration // from the first counted failure
	IPFailures   int           // failed logins per client address per IPWindow; 0: no limit
	IPWindow     time.Duration // from the first counted failure
	Hashers      int           // bcrypt runs at once, host-wide; 0: half the cores, at least 1
	HashQueue    int           // requests waiting for a hasher; more are refused
}

// DefaultLoginLimits are the limits of a Service not configured otherwise.
func DefaultLoginLimits() LoginLimits {
	return LoginLimits{UserFailures: 10, UserWindow: 15 * time.Minute, IPFailures: 30, IPWindow: time.Minute, HashQueue: 32}
}

// hashGate bounds the bcrypt runs in progress, so a login flood takes at
// most its share of the cores and other apps' requests keep theirs, and
// bounds the queue in front of it, so the flood gets refusals rather than
// ever longer waits.
type hashGate struct {
	slots    chan struct{}
	waiting  atomic.Int64
	maxQueue int64
}

func newHashGate(hashers, queue int) *hashGate {
	if hashers <= 0 {
		hashers = max(1, runtime.GOMAXPROCS(0)/2)
	}
	return &hashGate{slots: make(chan struct{}, hashers), maxQueue: int64(max(queue, 0))}
}

// do runs fn on a hasher, waiting in the queue for one when all are busy;
// with the queue full it returns a LimitError at once.
func (g *hashGate) do(fn func()) error {
	select {
	case g.slots <- struct{}{}:
	default:
		if g.waiting.Add(1) > g.maxQueue {
			g.waiting.Add(-1)
			return &LimitError{Limit: LimitHashing, Value: strconv.Itoa(cap(g.slots)), RetryAfter: time.Second}
		}
		g.slots <- struct{}{}
		g.waiting.Add(-1)
	}
	defer func() { <-g.slots }()
	fn()
	return nil
}

// compare checks password against hash on a hasher.
func (g *hashGate) compare(hash []byte, password string) (ok bool, err error) {
	err = g.do(func() { ok = bcrypt.CompareHashAndPassword(hash, []byte(password)) == nil })
	return ok, err
}

// generate hashes password on a hasher.
func (g *hashGate) generate(password string) (hash []byte, err error) {
	if gerr := g.do(func() { hash, err = bcrypt.GenerateFromPassword([]byte(password), hashCost) }); gerr != nil {
		return nil, gerr
	}
	if err != nil {
		return nil, fmt.Errorf("identity: hash: %w", err)
	}
	return hash, nil
}

// throttle counts failed logins per username and per client address in
// an Ephemeral, and refuses further attempts, before any bcrypt runs, once
// either count reaches its limit within its window.
type throttle struct {
	lim LoginLimits
	eph Ephemeral
}

func (t *throttle) userKey(app, username string) string {
	sum := sha256.Sum256([]byte(username)) // bounded, printable keys for any name
	return "login:u:" + app + ":" + hex.EncodeToString(sum[:16])
}

func (t *throttle) ipKey(app, client string) string { return "login:ip:" + app + ":" + client }

// allow returns a LimitError when username or client has failed too often.
func (t *throttle) allow(ctx context.Context, app, client, username string) error {
	checks := []struct {
		on     bool
		key    string
		max    int
		window time.Duration
		limit  string
	}{
		{t.lim.UserFailures > 0, t.userKey(app, username), t.lim.UserFailures, t.lim.UserWindow, LimitLoginUser},
		{t.lim.IPFailures > 0 && client != "", t.ipKey(app, client), t.lim.IPFailures, t.lim.IPWindow, LimitLoginIP},
	}
	for _, c := range checks {
		if !c.on {
			continue
		}
		n, left, err := t.eph.Count(ctx, c.key)
		if err != nil {
			return fmt.Errorf("identity: login throttle: %w", err)
		}
		if n >= int64(c.max) {
			return &LimitError{Limit: c.limit, Value: fmt.Sprintf("%d per %s", c.max, c.window), RetryAfter: left}
		}
	}
	return nil
}

// failed counts a failed login of username from client.
func (t *throttle) failed(ctx context.Context, app, client, username string) error {
	if t.lim.UserFailures > 0 {
		if _, _, err := t.eph.Add(ctx, t.userKey(app, username), t.lim.UserWindow); err != nil {
			return fmt.Errorf("identity: login throttle: %w", err)
		}
	}
	if t.lim.IPFailures > 0 && client != "" {
		if _, _, err := t.eph.Add(ctx, t.ipKey(app, client), t.lim.IPWindow); err != nil {
			return fmt.Errorf("identity: login throttle: %w", err)
		}
	}
	return nil
}

// succeeded clears username's failures: its owner got in.
func (t *throttle) succeeded(ctx context.Context, app, username string) {
	if t.lim.UserFailures > 0 {
		_ = t.eph.Reset(ctx, t.userKey(app, username))
	}
}

// ClientKey is the throttling key of a client address: the address
// itself for IPv4, its /64 network for IPv6, where one client typically
// holds the whole /64.
func ClientKey(ip net.IP) string {
	if ip == nil {
		return ""
	}
	if v4 := ip.To4(); v4 != nil {
		return v4.String()
	}
	return ip.Mask(net.CIDRMask(64, 128)).String() + "/64"
}
