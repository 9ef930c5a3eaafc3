package testenv

import (
	"bufio"
	"bytes"
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
	"testing"
	"time"

	"github.com/walkerhost/walkerhost/internal/dbserver"
)

// Process is a `jac start` child process, for tests that need the real
// binary: a crash, a kill -9, a file-descriptor limit, a restart.
type Process struct {
	URL    string // the address its banner printed
	Cmd    *exec.Cmd
	stderr lockedBuffer
	done   chan struct{} // closed when the process has exited
}

var servingRe = regexp.MustCompile(`serving module .* at (http://\S+)`)

// StartProcess starts cmd (a `jac start … --port 0`) and waits up to
// timeout for the banner line that names its URL. The child dies with the
// test process; the caller stops it with Stop or Kill.
func StartProcess(cmd *exec.Cmd, timeout time.Duration) (*Process, error) {
	p := &Process{Cmd: cmd, done: make(chan struct{})}
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Pdeathsig = syscall.SIGKILL
	cmd.Stderr = &p.stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	go func() { _ = cmd.Wait(); close(p.done) }()
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
	case p.URL = <-found:
		return p, nil
	case <-p.done:
		return nil, fmt.Errorf("jac start exited: %s\n%s", cmd.ProcessState, p.Stderr())
	case <-time.After(timeout):
		p.Kill()
		return nil, fmt.Errorf("jac start printed no banner in %s:\n%s", timeout, p.Stderr())
	}
}

// Stderr returns what the process wrote on stderr so far.
func (p *Process) Stderr() string { return p.stderr.String() }

// Exited reports whether the process has ended, and how.
func (p *Process) Exited() (bool, string) {
	select {
	case <-p.done:
		return true, p.Cmd.ProcessState.String()
	default:
		return false, ""
	}
}

// Stop ends the process (SIGTERM, then SIGKILL after 10 s) and waits.
func (p *Process) Stop() {
	if exited, _ := p.Exited(); exited {
		return
	}
	_ = p.Cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		p.Kill()
	}
}

// Kill ends the process with SIGKILL and waits; safe to call twice.
func (p *Process) Kill() {
	if exited, _ := p.Exited(); exited {
		return
	}
	_ = p.Cmd.Process.Kill()
	<-p.done
}

// RSS returns the process's resident memory in bytes.
func (p *Process) RSS() (int64, error) {
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.Cmd.Process.Pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10, err
		}
	}
	return 0, fmt.Errorf("no VmRSS in /proc/%d/status", p.Cmd.Process.Pid)
}

// lockedBuffer is a bytes.Buffer safe for a process's writes and a test's
// reads.
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

// Jac builds a static jac from this checkout into the test's temporary
// directory, as `make build` builds it.
func Jac(t testing.TB) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "jac")
	if err := BuildJac(path); err != nil {
		t.Fatal(err)
	}
	return path
}

// BuildJac is Jac for callers outside a test: it builds jac to path.
func BuildJac(path string) error { return buildStatic(path, "./cmd/jac") }

// BuildJacDeploy builds jac to path and jac-deploy, its deploy tool, beside
// it, where jac's deploy commands find it.
func BuildJacDeploy(path string) error {
	if err := BuildJac(path); err != nil {
		return err
	}
	return buildStatic(filepath.Join(filepath.Dir(path), "jac-deploy"), "./cmd/jac-deploy")
}

func buildStatic(path, pkg string) error {
	cmd := exec.Command("go", "build", "-trimpath", "-o", path, pkg)
	cmd.Dir = dbserver.RepoRoot()
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build %s: %v\n%s", pkg, err, out)
	}
	return nil
}
