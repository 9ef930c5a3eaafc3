package attack

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"time"

	"github.com/walkerhost/walkerhost/internal/testenv"
)

// AdminToken is the admin token of a launched host.
const AdminToken = "hostile-suite-admin-token"

// Host is a `jac start` process serving app "good" and app "bad" (the
// hostile guest, with small limits) beside a default app.
type Host struct {
	Base string
	*testenv.Process
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
	p, err := testenv.StartProcess(cmd, 2*time.Minute)
	if err != nil {
		return nil, err
	}
	return &Host{Base: p.URL, Process: p}, nil
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
