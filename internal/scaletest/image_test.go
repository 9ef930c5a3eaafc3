package scaletest

import (
	"archive/tar"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/walkerhost/walkerhost/deploy/image"
	"github.com/walkerhost/walkerhost/internal/kubetest"
	"github.com/walkerhost/walkerhost/internal/testenv"
)

// TestImage_Runs pushes a host image, pulls it back, unpacks its
// filesystem and runs its entrypoint the way a container runtime would:
// chrooted into it, as its user, with its environment and working
// directory. The host must come up and serve the module. (Running it
// needs root for chroot, which the test machines have.)
func TestImage_Runs(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("chroot needs root")
	}
	host, err := image.ReadHost(kubetest.StaticJac(t))
	if err != nil {
		t.Fatal(err)
	}
	img, err := image.Build(host, image.Module{Name: "todo", Wasm: testenv.Guest(t, "todo")})
	if err != nil {
		t.Fatal(err)
	}
	repo, _ := name.NewRepository(kubetest.Registry(t) + "/todo")
	ref, err := image.Push(context.Background(), img, repo, authn.Anonymous)
	if err != nil {
		t.Fatal(err)
	}
	pulled, err := remote.Image(ref)
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	if err := os.Chmod(root, 0o755); err != nil {
		t.Fatal(err)
	}
	untar(t, mutate.Extract(pulled), root)
	cf, err := pulled.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	uid, gid, _ := strings.Cut(cf.Config.User, ":")
	u, _ := strconv.Atoi(uid)
	g, _ := strconv.Atoi(gid)
	port := freePort(t)
	argv := append(cf.Config.Entrypoint, "--host", "127.0.0.1", "--port", strconv.Itoa(port)) // later flags win: loopback only
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = cf.Config.Env
	cmd.Dir = cf.Config.WorkingDir
	cmd.SysProcAttr = &syscall.SysProcAttr{Chroot: root, Credential: &syscall.Credential{Uid: uint32(u), Gid: uint32(g)},
		Pdeathsig: syscall.SIGKILL}
	logPath := filepath.Join(t.TempDir(), "host.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close()
	cmd.Stdout, cmd.Stderr = logFile, logFile
	output := func() string { b, _ := os.ReadFile(logPath); return string(b) }
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	url := "http://127.0.0.1:" + strconv.Itoa(port)
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(url + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the image's host did not come up: %v\n%s", err, output())
		}
		time.Sleep(100 * time.Millisecond)
	}
	r := testenv.Do(t, "POST", url+"/user/register", map[string]string{"username": "ada", "password": "s3cret-pass"}, "")
	if r.Status != http.StatusCreated {
		t.Fatalf("register in the image's host: %d %s\n%s", r.Status, r.Body, output())
	}
	if !strings.Contains(output(), `serving module "todo"`) {
		t.Fatalf("unexpected output:\n%s", output())
	}
	if _, err := os.Stat(filepath.Join(root, "data")); err != nil {
		t.Fatal(err)
	}
}

// untar writes the regular files and folders of a flattened image under root.
func untar(t *testing.T, rc io.ReadCloser, root string) {
	t.Helper()
	defer rc.Close()
	tr := tar.NewReader(rc)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(root, filepath.Clean("/"+h.Name))
		mode := os.FileMode(h.Mode).Perm()
		switch h.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(p, 0o755); err != nil {
				t.Fatal(err)
			}
		case tar.TypeReg:
			f, err := os.OpenFile(p, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, mode)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := io.Copy(f, tr); err != nil {
				t.Fatal(err)
			}
			f.Close()
		default:
			continue
		}
		if err := os.Chmod(p, mode|stickyBit(h.Mode)); err != nil {
			t.Fatal(err)
		}
		if err := os.Lchown(p, h.Uid, h.Gid); err != nil {
			t.Fatal(err)
		}
	}
}

func stickyBit(mode int64) os.FileMode {
	if mode&0o1000 != 0 {
		return os.ModeSticky
	}
	return 0
}

func freePort(t *testing.T) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}
