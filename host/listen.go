package host

import (
	"errors"
	"io"
	"log/slog"
	"net"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/valyala/fasthttp"
	"github.com/walkerhost/walkerhost/internal/server"
)

// fileHeadroom is the part of the open-file limit kept from client
// connections by default: the store, the module cache, files guests open,
// Redis and MongoDB pools and the listener need descriptors too.
const (
	fileHeadroomMin      = 64
	fileHeadroomFraction = 4 // a quarter of the limit, at least fileHeadroomMin
	maxDerivedConns      = 50_000
)

// raiseFileLimit raises the soft open-file limit to the hard one and
// returns the limit in force. Go's runtime already raises it at start
// (to one below the hard limit, Go 1.19+); doing it here makes it explicit
// and lets the log say what the host can hold.
func raiseFileLimit() (uint64, error) {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return 0, err
	}
	if lim.Cur < lim.Max {
		raised := lim
		raised.Cur = lim.Max
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &raised); err != nil {
			return lim.Cur, err
		}
		lim = raised
	}
	return lim.Cur, nil
}

// connectionCap is the default cap on client connections for an open-file
// limit: the limit less its headroom, at most maxDerivedConns (each
// connection also costs buffers and a goroutine), at least 1.
func connectionCap(files uint64) int {
	headroom := max(fileHeadroomMin, files/fileHeadroomFraction)
	if files <= headroom {
		return 1
	}
	return int(min(files-headroom, maxDerivedConns))
}

// perAddressCap is the per-address cap in force: the configured one (0:
// none), but at most half the total, so that one client address can never
// hold every connection the host may open (a low file limit makes the
// total smaller than the configured per-address cap).
func perAddressCap(perIP, total int) int {
	if perIP <= 0 {
		return 0
	}
	return max(1, min(perIP, total/2))
}

// guard is a listener that never fails for long: an Accept error (such as
// running out of file descriptors) is logged and retried with back-off
// instead of ending Serve, and connections over the total or per-address
// cap are answered 503 or 429 with the limit's envelope and closed.
type guard struct {
	net.Listener
	log        *slog.Logger
	max, perIP int
	refused    func(limit string) // counts a refused connection; may be nil

	mu    sync.Mutex
	open  int
	byIP  map[string]int
	spoke time.Time // last accept error logged
}

func newGuard(ln net.Listener, log *slog.Logger, maxConns, perIP int) *guard {
	return &guard{Listener: ln, log: log, max: maxConns, perIP: perIP, byIP: map[string]int{}}
}

// Back-off between failed accepts, as net/http does.
const (
	acceptBackoffMin = 5 * time.Millisecond
	acceptBackoffMax = time.Second
)

// Accept returns the next connection within the caps. It returns an error
// only once the listener is closed.
func (g *guard) Accept() (net.Conn, error) {
	var backoff time.Duration
	for {
		c, err := g.Listener.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return nil, err
			}
			backoff = min(max(2*backoff, acceptBackoffMin), acceptBackoffMax)
			g.acceptFailed(err, backoff)
			time.Sleep(backoff)
			continue
		}
		backoff = 0
		if gc := g.admit(c); gc != nil {
			return gc, nil
		}
	}
}

// acceptFailed logs an accept error, at most once a second.
func (g *guard) acceptFailed(err error, backoff time.Duration) {
	g.mu.Lock()
	speak := time.Since(g.spoke) >= time.Second
	if speak {
		g.spoke = time.Now()
	}
	g.mu.Unlock()
	if speak {
		g.log.Warn("accepting connections failed; retrying", "err", err, "retry_in", backoff)
	}
}

// admit counts c in, or refuses it and returns nil.
func (g *guard) admit(c net.Conn) net.Conn {
	ip := remoteIP(c)
	g.mu.Lock()
	var status int
	var msg, limit, value string
	switch {
	case g.max > 0 && g.open >= g.max:
		status, limit, value = fasthttp.StatusServiceUnavailable, "connections", strconv.Itoa(g.max)
		msg = "the host holds its most open connections (serve.max_connections, JAC_MAX_CONNECTIONS); try again later"
	case g.perIP > 0 && g.byIP[ip] >= g.perIP:
		status, limit, value = fasthttp.StatusTooManyRequests, "connections_per_ip", strconv.Itoa(g.perIP)
		msg = "too many open connections from your address (serve.max_connections_per_ip, JAC_MAX_CONNECTIONS_PER_IP)"
	default:
		g.open++
		g.byIP[ip]++
		g.mu.Unlock()
		return &guardedConn{Conn: c, g: g, ip: ip}
	}
	g.mu.Unlock()
	if g.refused != nil {
		g.refused(limit)
	}
	// A new connection's send buffer is empty: the short answer does not
	// block, and the deadline makes sure of it.
	_ = c.SetWriteDeadline(time.Now().Add(100 * time.Millisecond))
	_, _ = c.Write(server.Refusal(status, msg, limit, value))
	_ = c.Close()
	return nil
}

func (g *guard) release(ip string) {
	g.mu.Lock()
	g.open--
	if g.byIP[ip]--; g.byIP[ip] <= 0 {
		delete(g.byIP, ip)
	}
	g.mu.Unlock()
}

// remoteIP is the address of c's client without its port.
func remoteIP(c net.Conn) string {
	if a, ok := c.RemoteAddr().(*net.TCPAddr); ok {
		return a.IP.String()
	}
	host, _, err := net.SplitHostPort(c.RemoteAddr().String())
	if err != nil {
		return c.RemoteAddr().String()
	}
	return host
}

// guardedConn leaves its guard's count when closed.
type guardedConn struct {
	net.Conn
	g    *guard
	ip   string
	once sync.Once
}

// Lingering close: how long and how much of a request left unread (a body
// refused from its header) is read and dropped after the answer, so that
// the client sees the answer rather than a reset.
const (
	lingerTime  = 500 * time.Millisecond
	lingerBytes = 4 << 20
)

// Close sends the end of the stream at once and lets the client's unread
// bytes drain, within lingerTime and lingerBytes, before closing for good.
func (c *guardedConn) Close() error {
	c.once.Do(func() {
		if tc, ok := c.Conn.(*net.TCPConn); ok && tc.CloseWrite() == nil {
			go c.linger(tc)
			return
		}
		_ = c.Conn.Close()
		c.g.release(c.ip)
	})
	return nil
}

func (c *guardedConn) linger(tc *net.TCPConn) {
	_ = tc.SetReadDeadline(time.Now().Add(lingerTime))
	_, _ = io.CopyN(io.Discard, tc, lingerBytes)
	_ = tc.Close()
	c.g.release(c.ip)
}
