package jacdiff

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/walkerhost/walkerhost/internal/dbserver"
)

// JaclangVersion is the reference Jac the corpus outputs were recorded
// with; scripts/deps.sh installs it under $WALKERHOST_CACHE.
const JaclangVersion = "0.16.7"

var updateOracle = flag.Bool("update-oracle", false, "rewrite testdata/jac/NAME.out with what jaclang prints")

// runTimeout bounds one program run; the programs are small, so a run that
// takes this long is stuck.
const runTimeout = 2 * time.Minute

func corpusDir() string { return filepath.Join(dbserver.RepoRoot(), "testdata", "jac") }

// programs lists the corpus, sorted.
func programs(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(corpusDir(), "*.jac"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no programs in %s: %v", corpusDir(), err)
	}
	sort.Strings(files)
	return files
}

func name(file string) string { return strings.TrimSuffix(filepath.Base(file), ".jac") }

// jaclang returns the reference jac command, or skips the test (fails it
// under CI, where a missing oracle is a broken setup) saying why it is
// missing.
func jaclang(t *testing.T) string {
	t.Helper()
	venv := filepath.Join(dbserver.CacheDir(), "jaclang-"+JaclangVersion)
	bin := filepath.Join(venv, "bin", "jac")
	if _, err := os.Stat(filepath.Join(venv, ".complete")); err != nil {
		msg := fmt.Sprintf("jaclang %s is not installed in %s (scripts/deps.sh installs it; it needs Python >= 3.12)", JaclangVersion, venv)
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return bin
}

// run runs `bin run NAME.jac` on a copy of file in a fresh folder (jaclang
// keeps its graph in .jac/ of the working folder, store() writes there) and
// returns its standard output and error.
func run(t *testing.T, bin, file string, env ...string) (stdout, stderr string, err error) {
	t.Helper()
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, filepath.Base(file)), src, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), runTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "run", filepath.Base(file))
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err = cmd.Run()
	if ctx.Err() != nil {
		err = fmt.Errorf("still running after %v", runTimeout)
	}
	return out.String(), errOut.String(), err
}

// jaclangEnv turns jac-scale off (should it be installed beside jaclang):
// the corpus is plain Jac, run as a user's `jac run` would.
var jaclangEnv = []string{"JAC_DISABLED_PLUGINS=jac-scale:scale", "NO_COLOR=1"}

// TestOracle runs every program under jaclang and compares its output with
// NAME.out, so a changed reference is noticed; with -update-oracle it
// records NAME.out instead (refusing programs that fail under jaclang).
func TestOracle(t *testing.T) {
	bin := jaclang(t)
	for _, file := range programs(t) {
		t.Run(name(file), func(t *testing.T) {
			t.Parallel()
			stdout, stderr, err := run(t, bin, file, jaclangEnv...)
			if err != nil || strings.TrimSpace(stderr) != "" {
				t.Fatalf("jaclang failed on %s (%v); every corpus program must run cleanly:\n%s%s", name(file), err, stdout, stderr)
			}
			outFile := strings.TrimSuffix(file, ".jac") + ".out"
			if *updateOracle {
				if err := os.WriteFile(outFile, []byte(stdout), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(outFile)
			if err != nil {
				t.Fatalf("%v (record it with go test ./internal/jacdiff -run TestOracle -update-oracle)", err)
			}
			if d := Unified(name(file)+".out", "jaclang "+JaclangVersion, string(want), stdout); d != "" {
				t.Errorf("jaclang's output differs from the recorded one:\n%s", d)
			}
		})
	}
}

// TestHost runs every program through this host's `jac run` and compares
// its output with NAME.out. Programs listed in testdata/jac/KNOWN_GAPS must
// mismatch (the list may only shrink): one that matches fails the test until
// it is taken off the list.
func TestHost(t *testing.T) {
	gaps := knownGaps(t)
	files := programs(t)
	for n := range gaps {
		if _, err := os.Stat(filepath.Join(corpusDir(), n+".jac")); err != nil {
			t.Errorf("KNOWN_GAPS names %s, which is not a program of the corpus", n)
		}
	}
	bin := hostJac(t)
	if reason := lacksRun(bin); reason != "" {
		t.Fatalf("%d of %d programs mismatch: %s", len(files), len(files), reason)
	}
	var mismatched, unexpected, fixed atomic.Int32
	var mu sync.Mutex
	var failing []string
	t.Run("programs", func(t *testing.T) {
		for _, file := range files {
			n := name(file)
			t.Run(n, func(t *testing.T) {
				t.Parallel()
				want, err := os.ReadFile(strings.TrimSuffix(file, ".jac") + ".out")
				if err != nil {
					t.Fatal(err)
				}
				stdout, stderr, err := run(t, bin, file)
				d := Unified(n+".out", "jac run "+n+".jac", string(want), stdout)
				if err != nil && d == "" {
					d = fmt.Sprintf("(same output, but jac run failed: %v)", err)
				}
				if d != "" {
					mismatched.Add(1)
				}
				reason, isGap := gaps[n]
				switch {
				case isGap && d == "":
					fixed.Add(1)
					t.Errorf("%s now matches jaclang: take it off testdata/jac/KNOWN_GAPS (it said: %s)", n, reason)
				case isGap:
					t.Logf("known gap (%s):\n%s", reason, d)
				case d != "":
					unexpected.Add(1)
					mu.Lock()
					failing = append(failing, n)
					mu.Unlock()
					t.Errorf("jac run %s.jac differs from jaclang (exit: %v):\n%s\nstderr:\n%s", n, err, d, stderr)
				}
			})
		}
	})
	sort.Strings(failing)
	t.Logf("%d of %d programs match jaclang; %d known gaps", len(files)-int(mismatched.Load()), len(files), len(gaps))
	if unexpected.Load() > 0 {
		t.Errorf("%d of %d programs mismatch jaclang outside KNOWN_GAPS: %s", unexpected.Load(), len(files), strings.Join(failing, " "))
	}
	if fixed.Load() > 0 {
		t.Errorf("%d programs in KNOWN_GAPS now match: shrink the list", fixed.Load())
	}
}

// knownGaps reads testdata/jac/KNOWN_GAPS: a program name and its reason
// per line; blank lines and lines starting with # are ignored.
func knownGaps(t *testing.T) map[string]string {
	t.Helper()
	gaps, err := readGaps(filepath.Join(corpusDir(), "KNOWN_GAPS"))
	if err != nil {
		t.Fatal(err)
	}
	return gaps
}

func readGaps(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return map[string]string{}, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	gaps := map[string]string{}
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		n, reason, _ := strings.Cut(text, " ")
		n = strings.TrimSuffix(n, ".jac")
		if strings.TrimSpace(reason) == "" {
			return nil, fmt.Errorf("%s:%d: %s has no reason", path, line, n)
		}
		if _, dup := gaps[n]; dup {
			return nil, fmt.Errorf("%s:%d: %s listed twice", path, line, n)
		}
		gaps[n] = strings.TrimSpace(reason)
	}
	return gaps, sc.Err()
}

var (
	hostOnce sync.Once
	hostBin  string
	hostErr  error
)

// hostJac returns this host's jac binary: $JAC_BIN when set, else one built
// from ./cmd/jac once per test process.
func hostJac(t *testing.T) string {
	t.Helper()
	if b := os.Getenv("JAC_BIN"); b != "" {
		return b
	}
	hostOnce.Do(func() {
		dir, err := os.MkdirTemp("", "jacdiff-")
		if err != nil {
			hostErr = err
			return
		}
		hostBin = filepath.Join(dir, "jac")
		cmd := exec.Command("go", "build", "-o", hostBin, "./cmd/jac")
		cmd.Dir = dbserver.RepoRoot()
		if out, err := cmd.CombinedOutput(); err != nil {
			hostErr = fmt.Errorf("go build ./cmd/jac: %v\n%s", err, out)
		}
	})
	if hostErr != nil {
		t.Fatal(hostErr)
	}
	return hostBin
}

// lacksRun says why bin cannot run a Jac program at all ("" when it can):
// until `jac run` exists every program mismatches, and one line says so.
func lacksRun(bin string) string {
	out, err := exec.Command(bin, "run", "--help").CombinedOutput()
	if err != nil && strings.Contains(string(out), "unknown command") {
		return "this jac has no `run` command yet (jac run FILE.jac: issue 15)"
	}
	return ""
}

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if hostBin != "" {
		os.RemoveAll(filepath.Dir(hostBin))
	}
	os.Exit(code)
}
