package attack

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// AdminToken is the admin token of a launched host.
const AdminToken = "hostile-suite-admin-token"

// Host is a `jac start` process serving app "good" and app "bad" (the
// hostile guest, with small limits) beside a default app.
type Host struct {
	Base string
	cmd  *exec.Cmd
	log  lockedBuffer
	done chan struct{} // closed when the process has exited
}

// BadLimits are app bad's limits: small, so that attacks end quickly.
const BadLimits = `memory_mb = 32
request_timeout = "1s"
max_report_bytes = 262144
max_host_calls = 10000
max_body_bytes = 16384
pool_size = 2
`

// Launch starts jac (the binary) in dir serving good and bad under a hard
// open-file limit of fileLimit (so that connection floods stay cheap), and
// waits for its banner.
func Launch(jac, dir string, good, bad []byte, fileLimit int) (*Host, error) {
	files := map[string][]byte{"good.wasm": good, "bad.wasm": bad, "jac.toml": []byte(`[serve]
data_dir = "data"

[admin]
token = "` + AdminToken + `"

[logging]
requests = false

[apps.good]
module = "good.wasm"

[apps.bad]
module = "bad.wasm"

[apps.bad.limits]
` + BadLimits)}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return nil, err
		}
	}
	cmd := exec.Command("bash", "-c", `ulimit -n "$1" && exec "$2" start good.wasm --config jac.toml --port 0`,
		"jac", strconv.Itoa(fileLimit), jac)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "JAC_LOG_FORMAT=text")
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	h := &Host{cmd: cmd, done: make(chan struct{})}
	cmd.Stderr = &h.log
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	go func() { _ = cmd.Wait(); close(h.done) }()
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := servingRe.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
				break
			}
		}
		_, _ = io.Copy(io.Discard, stdout)
	}()
	select {
	case h.Base = <-found:
		return h, nil
	case <-h.done:
		return nil, fmt.Errorf("jac start exited: %s\n%s", h.cmd.ProcessState, h.Log())
	case <-time.After(2 * time.Minute):
		h.Stop()
		return nil, fmt.Errorf("jac start printed no banner in 2 minutes:\n%s", h.Log())
	}
}

var servingRe = regexp.MustCompile(`serving module .* at (http://\S+)`)

// Exited reports whether the process has ended, and how.
func (h *Host) Exited() (bool, string) {
	select {
	case <-h.done:
		return true, h.cmd.ProcessState.String()
	default:
		return false, ""
	}
}

// RSS returns the process's resident memory in bytes.
func (h *Host) RSS() (int64, error) {
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", h.cmd.Process.Pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10, err
		}
	}
	return 0, fmt.Errorf("no VmRSS in /proc/%d/status", h.cmd.Process.Pid)
}

// Log returns what the host wrote on stderr so far.
func (h *Host) Log() string { return h.log.String() }

// Stop ends the process (SIGTERM, then SIGKILL after 10 s) and waits.
func (h *Host) Stop() {
	if exited, _ := h.Exited(); exited {
		return
	}
	_ = h.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-h.done:
	case <-time.After(10 * time.Second):
		_ = h.cmd.Process.Kill()
		<-h.done
	}
}

// Probe answers whether the host's /healthz answers 200 now.
func (h *Host) Probe(ctx context.Context) error {
	a, err := Do(ctx, "GET", h.Base+"/healthz", nil)
	if err != nil {
		return err
	}
	if a.Status != 200 {
		return fmt.Errorf("/healthz: %s", a)
	}
	return nil
}

// lockedBuffer is a bytes.Buffer safe for the process's writes and the
// test's reads.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
